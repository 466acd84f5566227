using DestinyDsl.Runtime.Gpu.Blas;

namespace DestinyDsl.Runtime.Gpu.Tests.Blas;

/// <summary>
/// The row-major → column-major mapping cuBLAS runs, checked without a GPU: executing the mapped call with a plain
/// column-major reference GEMM (cuBLAS's definition) on the row-major buffers must give the row-major product.
/// </summary>
public sealed class ColumnMajorCallTests
{
    public static TheoryData<bool, bool, bool> Flags()
    {
        var data = new TheoryData<bool, bool, bool>();
        foreach (var ta in new[] { false, true })
            foreach (var tb in new[] { false, true })
                foreach (var acc in new[] { false, true }) data.Add(ta, tb, acc);
        return data;
    }

    [Theory]
    [MemberData(nameof(Flags))]
    public void ColumnMajorCallComputesTheRowMajorProduct(bool ta, bool tb, bool accumulate)
    {
        foreach (var (m, n, k) in new[] { (3, 5, 4), (1, 7, 2), (6, 1, 9), (4, 4, 0) })
        {
            var (aRows, aCols) = ta ? (k, m) : (m, k);
            var (bRows, bCols) = tb ? (n, k) : (k, n);
            int lda = aCols + 2, ldb = bCols + 1, ldc = n + 3;
            var rng = new Random((m * 100) + (n * 10) + k);
            var a = Values(rng, aRows * lda);
            var b = Values(rng, bRows * ldb);
            var c = Values(rng, m * ldc);

            var expected = (float[])c.Clone();
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    double s = accumulate ? c[(i * ldc) + j] : 0;
                    for (var p = 0; p < k; p++) s += (double)(ta ? a[(p * lda) + i] : a[(i * lda) + p]) * (tb ? b[(j * ldb) + p] : b[(p * ldb) + j]);
                    expected[(i * ldc) + j] = (float)s;
                }
            }

            var call = ColumnMajorCall.From(ta, tb, m, n, k, lda, ldb, accumulate, ldc);
            MeetsCuBlasRules(call);
            var actual = (float[])c.Clone();
            ColumnMajorGemm(call, call.First == GemmOperand.A ? a : b, call.Second == GemmOperand.A ? a : b, actual);

            for (var x = 0; x < expected.Length; x++) Assert.True(Math.Abs(expected[x] - actual[x]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[x])), $"C[{x}] = {actual[x]}, expected {expected[x]} (ta={ta}, tb={tb}, acc={accumulate}, {m}×{n}×{k})");
        }
    }

    [Fact]
    public void SwapsOperandsAndSizes()
    {
        var call = ColumnMajorCall.From(transposeA: true, transposeB: false, m: 3, n: 5, k: 7, lda: 3, ldb: 5, accumulate: true, ldc: 5);
        Assert.Equal(new ColumnMajorCall(false, true, 5, 3, 7, GemmOperand.B, 5, GemmOperand.A, 3, 1f, 5), call);
    }

    /// <summary>cuBLAS sgemm's argument rules (ld ≥ max(1, stored column length)).</summary>
    private static void MeetsCuBlasRules(ColumnMajorCall call)
    {
        Assert.True(call.LdFirst >= Math.Max(1, call.TransposeFirst ? call.K : call.M));
        Assert.True(call.LdSecond >= Math.Max(1, call.TransposeSecond ? call.N : call.K));
        Assert.True(call.Ldc >= Math.Max(1, call.M));
    }

    /// <summary>Column-major sgemm with alpha 1: element (r, c) of a matrix with leading dimension ld is at r + c·ld.</summary>
    private static void ColumnMajorGemm(ColumnMajorCall call, float[] x, float[] y, float[] c)
    {
        for (var i = 0; i < call.M; i++)
        {
            for (var j = 0; j < call.N; j++)
            {
                double s = 0;
                for (var p = 0; p < call.K; p++)
                {
                    var xv = call.TransposeFirst ? x[p + (i * call.LdFirst)] : x[i + (p * call.LdFirst)];
                    var yv = call.TransposeSecond ? y[j + (p * call.LdSecond)] : y[p + (j * call.LdSecond)];
                    s += (double)xv * yv;
                }
                var at = i + (j * call.Ldc);
                c[at] = (float)((call.Beta * (double)c[at]) + s);
            }
        }
    }

    private static float[] Values(Random rng, int count)
    {
        var v = new float[count];
        for (var i = 0; i < count; i++) v[i] = (float)((rng.NextDouble() * 2) - 1);
        return v;
    }
}
