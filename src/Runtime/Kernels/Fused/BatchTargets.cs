namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// The targets of one mini-batch for the columns one shard owns of an output layer, read directly by the output
/// kernels: sparse (CSR with local, ascending column ids; null values = every non-zero is 1) or dense ([rows][ld]);
/// optionally the weight of each batch row, which multiplies the row's loss and delta.
/// </summary>
internal sealed class BatchTargets
{
    private BatchTargets(bool isSparse, int[] offsets, int[] columns, float[]? values, float[] dense, int ld, float[]? weights = null)
    {
        Weights = weights;
        IsSparse = isSparse;
        Offsets = offsets;
        Columns = columns;
        Values = values;
        Dense = dense;
        Ld = ld;
    }

    public bool IsSparse { get; }

    /// <summary>Sparse: row offsets (rows + 1).</summary>
    public int[] Offsets { get; }

    /// <summary>Sparse: local column ids, ascending within a row.</summary>
    public int[] Columns { get; }

    /// <summary>Sparse: values, or null when every non-zero is 1.</summary>
    public float[]? Values { get; }

    /// <summary>Dense: row-major values.</summary>
    public float[] Dense { get; }

    /// <summary>Dense: leading dimension.</summary>
    public int Ld { get; }

    /// <summary>The example weight of each batch row, or null when every example weighs 1.</summary>
    public float[]? Weights { get; }

    /// <summary>The same targets with the batch rows' example weights (null = unweighted).</summary>
    public BatchTargets WithWeights(float[]? weights) => weights is null && Weights is null ? this : new(IsSparse, Offsets, Columns, Values, Dense, Ld, weights);

    public static BatchTargets Sparse(int[] offsets, int[] columns, float[]? values) => new(true, offsets, columns, values, Array.Empty<float>(), 0);

    public static BatchTargets FromDense(float[] dense, int ld) => new(false, Array.Empty<int>(), Array.Empty<int>(), null, dense, ld);

    /// <summary>Sparse: the index range of <paramref name="row"/>'s non-zeros whose column is in [start, end).</summary>
    public (int First, int End) SparseRange(int row, int start, int end)
    {
        var lo = Offsets[row];
        var hi = Offsets[row + 1];
        var first = LowerBound(Columns, lo, hi, start);
        var last = end >= int.MaxValue ? hi : LowerBound(Columns, first, hi, end);
        return (first, last);
    }

    private static int LowerBound(int[] a, int lo, int hi, int value)
    {
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (a[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
