namespace DestinyDsl.Runtime.Data;

/// <summary>
/// A sparse matrix in CSR form: one row per example, column ids ascending within a row, optional values
/// (absent means every stored entry is 1 — indicator data). Immutable once built.
/// </summary>
public sealed partial class SparseMatrix
{
    /// <summary>Wraps CSR arrays after validating them (offsets monotone, indices in range and ascending per row).</summary>
    /// <exception cref="ArgumentException">The arrays do not form a valid CSR matrix; the message says where.</exception>
    public SparseMatrix(int rows, int columns, long[] rowOffsets, int[] columnIndices, float[]? values = null)
    {
        ArgumentNullException.ThrowIfNull(rowOffsets);
        ArgumentNullException.ThrowIfNull(columnIndices);
        if (rows < 0) throw new ArgumentException($"Row count {rows} is negative.", nameof(rows));
        if (columns <= 0) throw new ArgumentException($"Column count {columns} must be positive.", nameof(columns));
        if (rowOffsets.Length != rows + 1) throw new ArgumentException($"rowOffsets has {rowOffsets.Length} entries; expected rows + 1 = {rows + 1}.", nameof(rowOffsets));
        if (rowOffsets[0] != 0) throw new ArgumentException("rowOffsets[0] must be 0.", nameof(rowOffsets));
        if (rowOffsets[rows] != columnIndices.Length) throw new ArgumentException($"rowOffsets[{rows}] = {rowOffsets[rows]} but there are {columnIndices.Length} column indices.", nameof(rowOffsets));
        if (values is not null && values.Length != columnIndices.Length) throw new ArgumentException($"values has {values.Length} entries; expected {columnIndices.Length}.", nameof(values));
        for (var r = 0; r < rows; r++)
        {
            var start = rowOffsets[r];
            var end = rowOffsets[r + 1];
            if (end < start) throw new ArgumentException($"rowOffsets decreases at row {r}.", nameof(rowOffsets));
            for (var i = start; i < end; i++)
            {
                var col = columnIndices[i];
                if ((uint)col >= (uint)columns) throw new ArgumentException($"Row {r} has column {col} outside [0, {columns}).", nameof(columnIndices));
                if (i > start && columnIndices[i - 1] >= col) throw new ArgumentException($"Row {r} columns are not strictly ascending at column {col}.", nameof(columnIndices));
            }
        }

        Rows = rows;
        Columns = columns;
        RowOffsets = rowOffsets;
        ColumnIndices = columnIndices;
        Values = values;
    }

    // For arrays built by this assembly's own algorithms (builder, slicing, splitting), which produce valid CSR by
    // construction; the public constructor's O(non-zeros) validation would only repeat what they guarantee.
    private SparseMatrix(int rows, int columns, long[] rowOffsets, int[] columnIndices, float[]? values, bool trusted)
    {
        System.Diagnostics.Debug.Assert(trusted && rowOffsets.Length == rows + 1 && rowOffsets[rows] == columnIndices.Length);
        Rows = rows;
        Columns = columns;
        RowOffsets = rowOffsets;
        ColumnIndices = columnIndices;
        Values = values;
    }

    internal static SparseMatrix CreateTrusted(int rows, int columns, long[] rowOffsets, int[] columnIndices, float[]? values)
        => new(rows, columns, rowOffsets, columnIndices, values, trusted: true);

    /// <summary>Number of rows (examples).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features).</summary>
    public int Columns { get; }

    /// <summary>CSR row offsets (length Rows + 1).</summary>
    public long[] RowOffsets { get; }

    /// <summary>Column ids of the stored entries.</summary>
    public int[] ColumnIndices { get; }

    /// <summary>Values of the stored entries, or null when every entry is 1.</summary>
    public float[]? Values { get; }

    /// <summary>Number of stored entries.</summary>
    public long NonZeroCount => ColumnIndices.LongLength;

    /// <summary>Column ids of one row.</summary>
    public ReadOnlySpan<int> RowIndices(int row) => ColumnIndices.AsSpan((int)RowOffsets[row], (int)(RowOffsets[row + 1] - RowOffsets[row]));

    /// <summary>Values of one row (empty when the matrix holds indicators).</summary>
    public ReadOnlySpan<float> RowValues(int row) => Values is null ? default : Values.AsSpan((int)RowOffsets[row], (int)(RowOffsets[row + 1] - RowOffsets[row]));
}
