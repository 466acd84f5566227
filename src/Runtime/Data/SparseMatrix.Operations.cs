namespace DestinyDsl.Runtime.Data;

// Derived views and copies of a CSR matrix. Each runs in O(rows + non-zeros) with a fixed number of allocations
// (the result's arrays), never one per element: they run on whole datasets at load time.
public sealed partial class SparseMatrix
{
    /// <summary>True when the matrix stores no values (every stored entry is 1).</summary>
    public bool IsIndicator => Values is null;

    /// <summary>Fraction of the Rows × Columns cells that are stored (0 for a matrix without rows).</summary>
    public double Density => Rows == 0 ? 0 : NonZeroCount / ((double)Rows * Columns);

    /// <summary>Number of stored entries in <paramref name="row"/>.</summary>
    public int RowLength(int row)
    {
        CheckRow(row);
        return (int)(RowOffsets[row + 1] - RowOffsets[row]);
    }

    /// <summary>True when (<paramref name="row"/>, <paramref name="column"/>) is stored (binary search).</summary>
    public bool Contains(int row, int column) => RowIndices(CheckedRow(row)).BinarySearch(column) >= 0;

    /// <summary>The value at (<paramref name="row"/>, <paramref name="column"/>): 0 when not stored, 1 for indicator entries.</summary>
    public float ValueAt(int row, int column)
    {
        var at = RowIndices(CheckedRow(row)).BinarySearch(column);
        if (at < 0) return 0f;
        return Values is null ? 1f : Values[RowOffsets[row] + at];
    }

    /// <summary>
    /// The columns in [<paramref name="start"/>, <paramref name="end"/>) of every row, re-based so that column
    /// <paramref name="start"/> becomes 0; same rows (used to shard a dataset by feature range).
    /// </summary>
    public SparseMatrix SliceColumns(int start, int end)
    {
        if (start < 0 || end > Columns || start >= end)
            throw new ArgumentOutOfRangeException(nameof(start), $"Column range [{start}, {end}) must be non-empty and inside [0, {Columns}).");

        // Pass 1: per row, where the range starts and ends (binary search, columns are ascending).
        var offsets = new long[Rows + 1];
        var firstInRange = new long[Rows];
        for (var r = 0; r < Rows; r++)
        {
            var indices = RowIndices(r);
            var lo = LowerBound(indices, start);
            var hi = LowerBound(indices, end);
            firstInRange[r] = RowOffsets[r] + lo;
            offsets[r + 1] = offsets[r] + (hi - lo);
        }

        // Pass 2: copy and re-base.
        var columns = new int[offsets[Rows]];
        var values = Values is null ? null : new float[columns.Length];
        for (var r = 0; r < Rows; r++)
        {
            var from = (int)firstInRange[r];
            var count = (int)(offsets[r + 1] - offsets[r]);
            var to = (int)offsets[r];
            var source = ColumnIndices.AsSpan(from, count);
            var target = columns.AsSpan(to, count);
            for (var i = 0; i < count; i++) target[i] = source[i] - start;
            Values?.AsSpan(from, count).CopyTo(values.AsSpan(to, count));
        }
        return CreateTrusted(Rows, end - start, offsets, columns, values);
    }

    /// <summary>A new matrix holding the given rows, in the given order (a row may be repeated).</summary>
    public SparseMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var offsets = new long[rows.Length + 1];
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            if ((uint)r >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(rows), $"rows[{i}] = {r} is outside [0, {Rows}).");
            offsets[i + 1] = offsets[i] + (RowOffsets[r + 1] - RowOffsets[r]);
        }

        var columns = new int[offsets[rows.Length]];
        var values = Values is null ? null : new float[columns.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            var from = (int)RowOffsets[r];
            var count = (int)(RowOffsets[r + 1] - RowOffsets[r]);
            ColumnIndices.AsSpan(from, count).CopyTo(columns.AsSpan((int)offsets[i]));
            Values?.AsSpan(from, count).CopyTo(values.AsSpan((int)offsets[i]));
        }
        return CreateTrusted(rows.Length, Columns, offsets, columns, values);
    }

    /// <summary>The transpose (columns become rows), built by a counting sort; values follow their entries.</summary>
    /// <exception cref="InvalidOperationException">The matrix has no rows (the transpose would have no columns).</exception>
    public SparseMatrix Transpose()
    {
        if (Rows == 0) throw new InvalidOperationException("A matrix with no rows cannot be transposed: the result would have no columns.");
        var offsets = new long[Columns + 1];
        foreach (var c in ColumnIndices) offsets[c + 1]++;
        for (var c = 0; c < Columns; c++) offsets[c + 1] += offsets[c];

        var next = offsets.AsSpan(0, Columns).ToArray();
        var rowsOfEntries = new int[ColumnIndices.Length];
        var values = Values is null ? null : new float[ColumnIndices.Length];
        for (var r = 0; r < Rows; r++)
        {
            for (var i = RowOffsets[r]; i < RowOffsets[r + 1]; i++)
            {
                var at = next[ColumnIndices[i]]++;
                rowsOfEntries[at] = r;                   // rows visited in ascending order: each new row stays sorted
                if (values is not null) values[at] = Values![i];
            }
        }
        return CreateTrusted(Columns, Rows, offsets, rowsOfEntries, values);
    }

    /// <summary>A dense copy, for small matrices in tests and examples.</summary>
    /// <exception cref="InvalidOperationException">Rows × Columns exceeds the largest array.</exception>
    public DenseMatrix ToDense()
    {
        var cells = (long)Rows * Columns;
        if (cells > Array.MaxLength) throw new InvalidOperationException($"A {Rows}×{Columns} matrix ({cells} cells) is too large for ToDense, which is meant for small matrices.");
        var dense = new DenseMatrix(Rows, Columns);
        for (var r = 0; r < Rows; r++)
        {
            var row = dense.Row(r);
            var indices = RowIndices(r);
            var values = RowValues(r);
            for (var i = 0; i < indices.Length; i++) row[indices[i]] = values.IsEmpty ? 1f : values[i];
        }
        return dense;
    }

    /// <summary>An indicator matrix from one column list per row (any order within a row; duplicates are an error).</summary>
    /// <exception cref="ArgumentException">A row has a column twice or a column outside [0, columns).</exception>
    public static SparseMatrix FromRows(int columns, IEnumerable<int[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new SparseMatrixBuilder(columns);
        foreach (var row in rows) builder.AddRow(row ?? throw new ArgumentException($"Row {builder.Rows} is null.", nameof(rows)));
        return builder.Build();
    }

    private static int LowerBound(ReadOnlySpan<int> sorted, int value)
    {
        var at = sorted.BinarySearch(value);
        return at >= 0 ? at : ~at;
    }

    private void CheckRow(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {Rows}).");
    }

    private int CheckedRow(int row)
    {
        CheckRow(row);
        return row;
    }
}
