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
        if (range.Start == 0 && range.End == matrix.Columns)
            return new SparseSlice(matrix.Rows, matrix.Columns, 0, matrix.RowOffsets, matrix.ColumnIndices, matrix.Values);
        var offsets = new long[matrix.Rows + 1];
        var count = 0L;
        for (var r = 0; r < matrix.Rows; r++)
        {
            foreach (var c in matrix.RowIndices(r))
            {
                if (c >= range.Start && c < range.End) count++;
            }
            offsets[r + 1] = count;
        }
        var indices = new int[count];
        var values = matrix.Values is null ? null : new float[count];
        var at = 0;
        for (var r = 0; r < matrix.Rows; r++)
        {
            var cols = matrix.RowIndices(r);
            var vals = matrix.RowValues(r);
            for (var i = 0; i < cols.Length; i++)
            {
                var c = cols[i];
                if (c < range.Start || c >= range.End) continue;
                indices[at] = c - range.Start;
                if (values is not null) values[at] = vals[i];
                at++;
            }
        }
        return new SparseSlice(matrix.Rows, range.Count, range.Start, offsets, indices, values);
    }
}
