using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Tests.Kernels;

/// <summary>
/// One row-major product case shared by the GEMM tests: operands with padded leading dimensions, placed at non-zero
/// offsets of larger buffers with sentinels around them, checked against a double-precision reference.
/// </summary>
internal static class GemmCase
{
    /// <summary>The row-major GEMM signature every implementation under test exposes.</summary>
    public delegate void Product(
        AcceleratorStream stream, bool transposeA, bool transposeB, int m, int n, int k,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, bool accumulate, ArrayView<float> c, int ldc);

    private const float Sentinel = 12345f;

    public static void Run(LibraryFixture fx, Product product, bool ta, bool tb, bool accumulate, int m, int n, int k, int seed)
    {
        // Stored shapes (rows × columns) and leading dimensions wider than the rows.
        var (aRows, aCols) = ta ? (k, m) : (m, k);
        var (bRows, bCols) = tb ? (n, k) : (k, n);
        int lda = aCols + 3, ldb = bCols + 2, ldc = n + 5;
        const int aOff = 3, bOff = 5, cOff = 7;
        var a = Padded(aRows, lda, aOff, seed);
        var b = Padded(bRows, ldb, bOff, seed + 1);
        var c = Padded(m, ldc, cOff, seed + 2);

        using var da = fx.Upload(a);
        using var db = fx.Upload(b);
        using var dc = fx.Upload(c);
        product(fx.Stream, ta, tb, m, n, k, da.From(aOff), lda, db.From(bOff), ldb, accumulate, dc.From(cOff), ldc);
        var got = fx.Download(dc);

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = accumulate ? c[cOff + (i * ldc) + j] : 0, scale = Math.Abs(sum);
                for (var p = 0; p < k; p++)
                {
                    double av = ta ? a[aOff + (p * lda) + i] : a[aOff + (i * lda) + p];
                    double bv = tb ? b[bOff + (j * ldb) + p] : b[bOff + (p * ldb) + j];
                    sum += av * bv;
                    scale += Math.Abs(av * bv);
                }
                var actual = got[cOff + (i * ldc) + j];
                Assert.True(
                    Math.Abs(actual - sum) <= 1e-5 * Math.Max(scale, 1e-30),
                    $"C[{i},{j}] = {actual}, expected {sum} (ta={ta}, tb={tb}, acc={accumulate}, m={m}, n={n}, k={k})");
            }
        }
        // Nothing outside op's m×n window of C is written: not before the offset, not in the row padding.
        for (var x = 0; x < got.Length; x++)
        {
            var inside = x >= cOff && (x - cOff) / ldc < m && (x - cOff) % ldc < n;
            if (!inside) Assert.Equal(c[x], got[x]);
        }
    }

    /// <summary>rows × ld random values at <paramref name="offset"/> after a sentinel prefix (random padding: reading it would change the result).</summary>
    private static float[] Padded(int rows, int ld, int offset, int seed)
    {
        var values = LibraryFixture.Random(offset + (rows * ld) + 4, seed);
        for (var x = 0; x < offset; x++) values[x] = Sentinel;
        return values;
    }
}
