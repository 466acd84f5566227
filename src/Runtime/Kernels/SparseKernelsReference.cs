namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// Plain loops in double accumulation with the same contracts as <see cref="SparseKernels"/>: the reference the
/// fast kernels are tested against.
/// </summary>
public static class SparseKernelsReference
{
    /// <summary>Same contract as <see cref="SparseKernels.GatherRows"/>.</summary>
    public static void GatherRows(
        int rows, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        ReadOnlySpan<float> w, int ldw, int n, bool accumulate, Span<float> z, int ldz)
    {
        var sum = new double[n];
        for (var r = 0; r < rows; r++)
        {
            var zr = z.Slice(r * ldz, n);
            for (var j = 0; j < n; j++)
            {
                sum[j] = accumulate ? zr[j] : 0;
            }
            for (var i = rowOffsets[r]; i < rowOffsets[r + 1]; i++)
            {
                double v = values.IsEmpty ? 1f : values[i];
                var wr = w.Slice(columns[i] * ldw, n);
                for (var j = 0; j < n; j++)
                {
                    sum[j] += v * wr[j];
                }
            }
            for (var j = 0; j < n; j++)
            {
                zr[j] = (float)sum[j];
            }
        }
    }

    /// <summary>Same contract as <see cref="SparseKernels.TransposedProductToSink"/>; columns are handed over in ascending order.</summary>
    public static void TransposedProductToSink<TSink>(
        int rows, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        int columnCount, ReadOnlySpan<float> delta, int ldd, int n, TSink sink)
        where TSink : struct, IGemmEpilogue
    {
        var sums = new Dictionary<int, double[]>();
        for (var r = 0; r < rows; r++)
        {
            for (var i = rowOffsets[r]; i < rowOffsets[r + 1]; i++)
            {
                if (!sums.TryGetValue(columns[i], out var sum))
                {
                    sums[columns[i]] = sum = new double[n];
                }
                double v = values.IsEmpty ? 1f : values[i];
                var d = delta.Slice(r * ldd, n);
                for (var j = 0; j < n; j++)
                {
                    sum[j] += v * d[j];
                }
            }
        }
        var g = new float[n];
        foreach (var column in sums.Keys.Order())
        {
            var sum = sums[column];
            for (var j = 0; j < n; j++)
            {
                g[j] = (float)sum[j];
            }
            sink.Apply(column, 0, g);
        }
    }
}
