namespace DestinyDsl.Runtime.Kernels.Fusion;

/// <summary>
/// The training target of one example for the columns <c>[ColumnOffset, ColumnOffset + width)</c> of an output
/// layer (one shard's slice). Sparse targets are read directly: never densified.
/// </summary>
public readonly ref struct TargetRow
{
    /// <summary>Creates a sparse target row. <paramref name="indices"/> are absolute column ids, ascending, inside the slice.</summary>
    public TargetRow(int columnOffset, ReadOnlySpan<int> indices, ReadOnlySpan<float> values, float weight = 1f)
    {
        ColumnOffset = columnOffset;
        Indices = indices;
        Values = values;
        Dense = default;
        IsSparse = true;
        Weight = weight;
    }

    /// <summary>Creates a dense target row aligned with the slice.</summary>
    public TargetRow(int columnOffset, ReadOnlySpan<float> dense, float weight = 1f)
    {
        ColumnOffset = columnOffset;
        Indices = default;
        Values = default;
        Dense = dense;
        IsSparse = false;
        Weight = weight;
    }

    /// <summary>Absolute column of the slice's first element.</summary>
    public int ColumnOffset { get; }

    /// <summary>Sparse targets: absolute column ids of the non-zeros (ascending).</summary>
    public ReadOnlySpan<int> Indices { get; }

    /// <summary>Sparse targets: values of the non-zeros; empty means every non-zero is 1.</summary>
    public ReadOnlySpan<float> Values { get; }

    /// <summary>Dense targets aligned with the slice.</summary>
    public ReadOnlySpan<float> Dense { get; }

    /// <summary>True for sparse targets.</summary>
    public bool IsSparse { get; }

    /// <summary>Per-example weight multiplying loss and delta.</summary>
    public float Weight { get; }
}
