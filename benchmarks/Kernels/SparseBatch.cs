namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>
/// A MovieLens-20M-like mini-batch: 256 users over 27278 items, interactions per user skewed (most users rate a
/// few dozen items, some thousands; mean ≈ 144 = 20M ratings / 138K users), binary values.
/// </summary>
public sealed class SparseBatch
{
    public const int Rows = 256;
    public const int Columns = 27278;

    private SparseBatch(int[] rowOffsets, int[] columnIds)
    {
        RowOffsets = rowOffsets;
        ColumnIds = columnIds;
    }

    /// <summary>The batch every sparse benchmark uses (seeded, so the same in every run).</summary>
    public static SparseBatch Standard { get; } = Create(seed: 7);

    public int[] RowOffsets { get; }

    public int[] ColumnIds { get; }

    public int NonZeros => RowOffsets[Rows];

    private static SparseBatch Create(int seed)
    {
        var random = new Random(seed);
        var offsets = new int[Rows + 1];
        var columns = new List<int>();
        for (var r = 0; r < Rows; r++)
        {
            // 20 + exponential with mean 124, at most 3000: mean ≈ 144.
            var count = Math.Min(3000, 20 + (int)(-124 * Math.Log(1 - random.NextDouble())));
            var row = new HashSet<int>();
            while (row.Count < count)
            {
                // Popular items are more likely (a Zipf-like skew through squaring).
                var u = random.NextDouble();
                row.Add((int)(u * u * Columns));
            }
            columns.AddRange(row.Order());
            offsets[r + 1] = columns.Count;
        }
        return new SparseBatch(offsets, columns.ToArray());
    }
}
