using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels;

/// <summary>
/// An output layer's targets for one batch, on the device, for the columns one shard owns: sparse (CSR with local,
/// ascending column ids, read directly by a binary search of the row — never densified) or dense ([rows][Ld]); with
/// the batch rows' example weights when the data has them (<see cref="Weight"/>: 1 for every row otherwise).
/// </summary>
public readonly struct TargetArgs
{
    /// <summary>1 for sparse targets, 0 for dense.</summary>
    public readonly int IsSparse;

    /// <summary>Sparse targets.</summary>
    public readonly SparseArgs Sparse;

    /// <summary>Dense targets, row-major.</summary>
    public readonly ArrayView<float> Dense;

    /// <summary>Dense targets' leading dimension.</summary>
    public readonly int Ld;

    /// <summary>1 when <see cref="Weights"/> holds the batch rows' example weights, 0 when every example weighs 1.</summary>
    public readonly int HasWeights;

    /// <summary>The example weight of each batch row ([rows]), read only when <see cref="HasWeights"/> is 1.</summary>
    public readonly ArrayView<float> Weights;

    /// <summary>Sparse targets.</summary>
    public TargetArgs(SparseArgs sparse)
    {
        IsSparse = 1;
        Sparse = sparse;
        Dense = default;
        Ld = 0;
        HasWeights = 0;
        Weights = default;
    }

    /// <summary>Dense targets.</summary>
    public TargetArgs(ArrayView<float> dense, int ld)
    {
        IsSparse = 0;
        Sparse = default;
        Dense = dense;
        Ld = ld;
        HasWeights = 0;
        Weights = default;
    }

    private TargetArgs(TargetArgs targets, ArrayView<float> weights)
    {
        IsSparse = targets.IsSparse;
        Sparse = targets.Sparse;
        Dense = targets.Dense;
        Ld = targets.Ld;
        HasWeights = 1;
        Weights = weights;
    }

    /// <summary>The same targets with the batch rows' example weights ([rows]).</summary>
    public TargetArgs WithWeights(ArrayView<float> weights) => new(this, weights);

    /// <summary>The example weight w_b of a batch row: it multiplies the row's loss and delta (1 without weights).</summary>
    public float Weight(int row) => HasWeights != 0 ? Weights[row] : 1f;

    /// <summary>The target of (row, local column): the stored value, or 0 where a sparse row has none.</summary>
    public float At(int row, int column)
    {
        if (IsSparse == 0) return Dense[(row * Ld) + column];
        var lo = Sparse.Offsets[row];
        var hi = Sparse.Offsets[row + 1];
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (Sparse.Columns[mid] < column) lo = mid + 1; else hi = mid;
        }
        return lo < Sparse.Offsets[row + 1] && Sparse.Columns[lo] == column ? Sparse.ValueAt(lo) : 0f;
    }
}
