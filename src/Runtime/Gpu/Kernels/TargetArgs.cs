using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels;

/// <summary>
/// An output layer's targets for one batch, on the device, for the columns one shard owns: sparse (CSR with local,
/// ascending column ids, read directly by a binary search of the row — never densified) or dense ([rows][Ld]).
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

    /// <summary>Sparse targets.</summary>
    public TargetArgs(SparseArgs sparse)
    {
        IsSparse = 1;
        Sparse = sparse;
        Dense = default;
        Ld = 0;
    }

    /// <summary>Dense targets.</summary>
    public TargetArgs(ArrayView<float> dense, int ld)
    {
        IsSparse = 0;
        Sparse = default;
        Dense = dense;
        Ld = ld;
    }

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
