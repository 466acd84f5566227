using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// One shard's columns [start, end) of a sparse matrix, re-based to 0, held as int offsets (a shard's slice of a
/// dataset is what its kernels read; DSSTNE shards sparse data by feature at load time the same way, so no
/// per-step input traffic is needed).
/// </summary>
internal sealed class SparseSlice
{
    private SparseSlice(int rows, int columns, int columnOffset, long[] offsets, int[] indices, float[]? values)
    {
        Rows = rows;
        Columns = columns;
        ColumnOffset = columnOffset;
        Offsets = offsets;
        Indices = indices;
        Values = values;
    }

    public int Rows { get; }

    /// <summary>Width of the slice.</summary>
    public int Columns { get; }

    /// <summary>Global column of local column 0.</summary>
    public int ColumnOffset { get; }

    public long[] Offsets { get; }

    public int[] Indices { get; }

    /// <summary>Values, or null when every entry is 1.</summary>
    public float[]? Values { get; }

    public static SparseSlice Of(SparseMatrix matrix, UnitRange range)
    {
        if (range.Count == 0) return new SparseSlice(matrix.Rows, 0, range.Start, new long[matrix.Rows + 1], Array.Empty<int>(), null);
        var slice = range.Start == 0 && range.End == matrix.Columns ? matrix : matrix.SliceColumns(range.Start, range.End);
        return new SparseSlice(matrix.Rows, range.Count, range.Start, slice.RowOffsets, slice.ColumnIndices, slice.Values);
    }
}
