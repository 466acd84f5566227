namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// Products with a sparse (CSR) batch: the sparse input layer's forward (a gather-sum of weight rows, never
/// densified) and its weight gradient (one row per column that occurs in the batch, consumed by a sink).
/// </summary>
/// <remarks>Same determinism contract as <see cref="Gemm"/>: fixed summation order, independent of thread count.</remarks>
public static class SparseKernels
{
    /// <summary>
    /// z[b, 0..n) (+)= Σ over the non-zeros i of row b of <c>values[i] · W[columns[i], 0..n)</c>, for b in [0, rows).
    /// <paramref name="values"/> empty means every non-zero is 1. W is row-major with leading dimension <paramref name="ldw"/>.
    /// </summary>
    public static void GatherRows(
        int rows, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        ReadOnlySpan<float> w, int ldw, int n, bool accumulate, Span<float> z, int ldz)
    {
        for (var r = 0; r < rows; r++)
        {
            var zr = z.Slice(r * ldz, n);
            if (!accumulate) zr.Clear();
            for (var i = rowOffsets[r]; i < rowOffsets[r + 1]; i++)
            {
                var v = values.IsEmpty ? 1f : values[i];
                var wr = w.Slice(columns[i] * ldw, n);
                for (var j = 0; j < n; j++) zr[j] += v * wr[j];
            }
        }
    }

    /// <summary>
    /// For every column c that occurs in the batch: g = Σ over rows b containing c of <c>value(b, c) · δ[b, 0..n)</c>
    /// (rows summed in ascending order), handed to <paramref name="sink"/> as <c>Apply(c, 0, g)</c> once per column.
    /// Columns that do not occur are never visited (their weights are not touched).
    /// </summary>
    public static void TransposedProductToSink<TSink>(
        int rows, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        int columnCount, ReadOnlySpan<float> delta, int ldd, int n, TSink sink)
        where TSink : struct, IGemmEpilogue
    {
        // Reference: bucket the non-zeros by column, then one accumulation per occurring column.
        var counts = new int[columnCount + 1];
        var nnz = rowOffsets[rows];
        for (var i = 0; i < nnz; i++) counts[columns[i] + 1]++;
        for (var c = 0; c < columnCount; c++) counts[c + 1] += counts[c];
        var rowOf = new int[nnz];
        var valueOf = new float[nnz];
        var next = (int[])counts.Clone();
        for (var r = 0; r < rows; r++)
        {
            for (var i = rowOffsets[r]; i < rowOffsets[r + 1]; i++)
            {
                var at = next[columns[i]]++;
                rowOf[at] = r;
                valueOf[at] = values.IsEmpty ? 1f : values[i];
            }
        }
        var g = new float[n];
        for (var c = 0; c < columnCount; c++)
        {
            if (counts[c] == counts[c + 1]) continue;
            Array.Clear(g);
            for (var at = counts[c]; at < counts[c + 1]; at++)
            {
                var d = delta.Slice(rowOf[at] * ldd, n);
                var v = valueOf[at];
                for (var j = 0; j < n; j++) g[j] += v * d[j];
            }
            sink.Apply(c, 0, g);
        }
    }
}
