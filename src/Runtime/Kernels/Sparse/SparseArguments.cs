namespace DestinyDsl.Runtime.Kernels.Sparse;

/// <summary>Checks of a CSR batch and the dense matrices beside it; every failure names the call, the field and the values.</summary>
internal static class SparseArguments
{
    /// <summary>Row offsets ascending, inside <paramref name="columns"/>, values empty or covering every non-zero, columns in range.</summary>
    public static void CheckBatch(
        string call, int rows, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<int> columns, ReadOnlySpan<float> values, int columnCount, string columnRange)
    {
        if (rows < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"SparseKernels.{call}: rows = {rows} must not be negative.");
        }
        if (rows == 0)
        {
            return;
        }
        if (rowOffsets.Length < rows + 1)
        {
            throw new ArgumentException($"SparseKernels.{call}: rowOffsets holds {rowOffsets.Length} entries, expected at least rows + 1 = {rows + 1}.", nameof(rowOffsets));
        }
        if (rowOffsets[0] < 0)
        {
            throw new ArgumentException($"SparseKernels.{call}: rowOffsets[0] = {rowOffsets[0]} is negative.", nameof(rowOffsets));
        }
        for (var r = 0; r < rows; r++)
        {
            if (rowOffsets[r + 1] < rowOffsets[r])
            {
                throw new ArgumentException(
                    $"SparseKernels.{call}: rowOffsets must not decrease, but rowOffsets[{r + 1}] = {rowOffsets[r + 1]} < rowOffsets[{r}] = {rowOffsets[r]}.", nameof(rowOffsets));
            }
        }
        var end = rowOffsets[rows];
        if (end > columns.Length)
        {
            throw new ArgumentException($"SparseKernels.{call}: rowOffsets[{rows}] = {end} exceeds the {columns.Length} entries of columns.", nameof(columns));
        }
        if (!values.IsEmpty && values.Length < end)
        {
            throw new ArgumentException(
                $"SparseKernels.{call}: values holds {values.Length} entries but the batch has non-zeros up to index {end}; pass every value or none (all ones).", nameof(values));
        }
        for (var r = 0; r < rows; r++)
        {
            for (var i = rowOffsets[r]; i < rowOffsets[r + 1]; i++)
            {
                if ((uint)columns[i] >= (uint)columnCount)
                {
                    throw new ArgumentException(
                        $"SparseKernels.{call}: columns[{i}] = {columns[i]} (row {r}) is outside {columnRange} [0, {columnCount}).", nameof(columns));
                }
            }
        }
    }

    /// <summary>A row-major matrix of <paramref name="rows"/> × <paramref name="columns"/> with leading dimension <paramref name="ld"/> fits in <paramref name="length"/>.</summary>
    public static void CheckMatrix(string call, string parameter, int rows, int columns, int length, int ld)
    {
        if (columns < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), $"SparseKernels.{call}: n = {columns} must not be negative.");
        }
        if (ld < columns)
        {
            throw new ArgumentOutOfRangeException("ld" + parameter, $"SparseKernels.{call}: leading dimension of {parameter} is {ld}, expected at least n = {columns}.");
        }
        if (rows == 0 || columns == 0)
        {
            return;
        }
        var needed = ((long)(rows - 1) * ld) + columns;
        if (length < needed)
        {
            throw new ArgumentException(
                $"SparseKernels.{call}: {parameter} holds {length} floats but {rows} rows × {columns} columns with leading dimension {ld} need {needed}.", parameter);
        }
    }

    /// <summary>Rows of W that fit in <paramref name="length"/> floats: the range its column ids must fall in.</summary>
    public static int RowsIn(int length, int n, int ld) => length < n ? 0 : n == 0 ? int.MaxValue : ((length - n) / Math.Max(1, ld)) + 1;
}
