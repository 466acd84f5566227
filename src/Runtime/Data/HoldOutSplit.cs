using DestinyDsl.Runtime.Data.IO;

namespace DestinyDsl.Runtime.Data;

/// <summary>
/// Splits each row's entries into training entries and held-out entries for ranking evaluation (random per-user
/// hold-out, as in DSSTNE's published MovieLens numbers).
/// </summary>
public static class HoldOutSplit
{
    private const ulong SplitStream = 0x484F4C444F5554UL; // "HOLDOUT": keeps this stream apart from others keyed by the same seed

    /// <summary>
    /// For every row with at least <paramref name="minItems"/> entries, holds out
    /// h = clamp(round(fraction · n), 1, n − 1) entries chosen uniformly at random (round half away from zero); the
    /// other entries stay in Train. Rows with fewer entries keep all of them in Train. Both results have the input's
    /// shape and carry its values. The choice depends only on (seed, row), so it is reproducible and independent of
    /// the other rows.
    /// </summary>
    /// <param name="fraction">Share to hold out, in (0, 1).</param>
    /// <param name="minItems">Rows with fewer entries are not split; at least 2, so every split row keeps one training entry.</param>
    public static (SparseMatrix Train, SparseMatrix HeldOut) Split(SparseMatrix matrix, double fraction, ulong seed, int minItems)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "Hold-out fraction must be in (0, 1).");
        if (minItems < 2) throw new ArgumentOutOfRangeException(nameof(minItems), minItems, "minItems must be at least 2 so that every split row keeps a training entry.");

        var rows = matrix.Rows;
        var heldCounts = new int[rows];
        var trainOffsets = new long[rows + 1];
        var heldOffsets = new long[rows + 1];
        for (var r = 0; r < rows; r++)
        {
            var n = matrix.RowLength(r);
            heldCounts[r] = n >= minItems ? HeldOutCount(n, fraction) : 0;
            trainOffsets[r + 1] = trainOffsets[r] + n - heldCounts[r];
            heldOffsets[r + 1] = heldOffsets[r] + heldCounts[r];
        }

        var trainColumns = new int[trainOffsets[rows]];
        var heldColumns = new int[heldOffsets[rows]];
        var trainValues = matrix.Values is null ? null : new float[trainColumns.Length];
        var heldValues = matrix.Values is null ? null : new float[heldColumns.Length];
        var chosen = Array.Empty<bool>();
        var positions = Array.Empty<int>();
        for (var r = 0; r < rows; r++)
        {
            var columns = matrix.RowIndices(r);
            var values = matrix.RowValues(r);
            var n = columns.Length;
            if (chosen.Length < n)
            {
                chosen = new bool[Math.Max(n, chosen.Length * 2)];
                positions = new int[chosen.Length];
            }
            MarkHeldOut(chosen.AsSpan(0, n), positions.AsSpan(0, n), heldCounts[r], SplitMix64.Derive(seed, SplitStream, (ulong)r));

            // Walk the row in column order so both outputs stay sorted.
            long t = trainOffsets[r], h = heldOffsets[r];
            for (var i = 0; i < n; i++)
            {
                if (chosen[i])
                {
                    heldColumns[h] = columns[i];
                    if (heldValues is not null) heldValues[h] = values[i];
                    h++;
                }
                else
                {
                    trainColumns[t] = columns[i];
                    if (trainValues is not null) trainValues[t] = values[i];
                    t++;
                }
            }
        }

        return (SparseMatrix.CreateTrusted(rows, matrix.Columns, trainOffsets, trainColumns, trainValues),
                SparseMatrix.CreateTrusted(rows, matrix.Columns, heldOffsets, heldColumns, heldValues));
    }

    /// <summary>How many of a row's n entries are held out: clamp(round(fraction·n), 1, n − 1).</summary>
    public static int HeldOutCount(int n, double fraction)
        => (int)Math.Clamp(Math.Round(fraction * n, MidpointRounding.AwayFromZero), 1, n - 1);

    // Partial Fisher–Yates over positions 0..n−1: the first `count` of the shuffled prefix are held out.
    private static void MarkHeldOut(Span<bool> chosen, Span<int> positions, int count, SplitMix64 random)
    {
        chosen.Clear();
        if (count == 0) return;
        for (var i = 0; i < positions.Length; i++) positions[i] = i;
        for (var i = 0; i < count; i++)
        {
            var j = i + random.NextInt(positions.Length - i);
            (positions[i], positions[j]) = (positions[j], positions[i]);
            chosen[positions[i]] = true;
        }
    }
}
