namespace DestinyDsl.Runtime.Kernels;

/// <summary>Plain triple-loop product in double accumulation: the reference every fast kernel is tested against.</summary>
public static class GemmReference
{
    /// <summary>Same contract as <see cref="Gemm.Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, bool, Span{float}, int)"/>.</summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        bool accumulate, Span<float> c, int ldc)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = accumulate ? c[(i * ldc) + j] : 0;
                for (var p = 0; p < k; p++)
                {
                    var av = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                    var bv = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += (double)av * bv;
                }
                c[(i * ldc) + j] = (float)sum;
            }
        }
    }
}
