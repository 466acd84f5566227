using DestinyDsl.Runtime.Kernels;

namespace DestinyDsl.Runtime.Tests.Kernels;

/// <summary>
/// What a GEMM result is checked against: the double-accumulating <see cref="GemmReference"/> (within a rigorous
/// float error bound) and the exact semantics this implementation documents (one FMA chain per element, k ascending).
/// </summary>
internal static class GemmChecks
{
    public readonly record struct Problem(
        bool TransposeA, bool TransposeB, int M, int N, int K, float[] A, int Lda, float[] B, int Ldb, float[] C0, int Ldc, bool Accumulate)
    {
        public float OpA(int i, int p) => TransposeA ? A[(p * Lda) + i] : A[(i * Lda) + p];

        public float OpB(int p, int j) => TransposeB ? B[(j * Ldb) + p] : B[(p * Ldb) + j];

        public override string ToString()
            => $"m={M} n={N} k={K} transposeA={TransposeA} transposeB={TransposeB} lda={Lda} ldb={Ldb} ldc={Ldc} accumulate={Accumulate}";
    }

    public static Problem RandomProblem(Random random, int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, bool padded)
    {
        var lda = (transposeA ? m : k) + (padded ? random.Next(0, 5) : 0);
        var ldb = (transposeB ? k : n) + (padded ? random.Next(0, 5) : 0);
        var ldc = n + (padded ? random.Next(0, 5) : 0);
        var aRows = transposeA ? k : m;
        var bRows = transposeB ? n : k;
        // Operands sized exactly (the last stored row unpadded), so a read past the end would be noticed.
        return new Problem(
            transposeA, transposeB, m, n, k,
            KernelTestData.RandomFloats(random, Tight(aRows, transposeA ? m : k, lda)), Math.Max(1, lda),
            KernelTestData.RandomFloats(random, Tight(bRows, transposeB ? k : n, ldb)), Math.Max(1, ldb),
            KernelTestData.RandomFloats(random, Math.Max(1L, (long)m * ldc)), Math.Max(1, ldc),
            accumulate);
    }

    private static long Tight(int rows, int columns, int ld) => rows == 0 || columns == 0 ? 0 : ((long)(rows - 1) * Math.Max(1, ld)) + columns;

    /// <summary>This implementation's exact result: acc = accumulate ? C : 0, then acc = fma(a, b, acc) for p ascending.</summary>
    public static float[] FusedChain(in Problem p)
    {
        var c = (float[])p.C0.Clone();
        for (var i = 0; i < p.M; i++)
        {
            for (var j = 0; j < p.N; j++)
            {
                var acc = p.Accumulate ? c[(i * p.Ldc) + j] : 0f;
                for (var q = 0; q < p.K; q++)
                {
                    acc = MathF.FusedMultiplyAdd(p.OpA(i, q), p.OpB(q, j), acc);
                }
                c[(i * p.Ldc) + j] = acc;
            }
        }
        return c;
    }

    /// <summary>Runs the fast kernel on a copy of C.</summary>
    public static float[] Fast(in Problem p)
    {
        var c = (float[])p.C0.Clone();
        Gemm.Multiply(p.TransposeA, p.TransposeB, p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, p.Accumulate, c, p.Ldc);
        return c;
    }

    /// <summary>
    /// |fast − reference| ≤ (k + 2)·u·(Σ|a·b| + |C₀|) per element (u = 2⁻²⁴, doubled for safety): any misplaced,
    /// missing or repeated term breaks it, rounding never does. Elements outside the n columns of each row stay C₀.
    /// </summary>
    public static void AssertMatchesReference(in Problem p, float[] fast)
    {
        var reference = (float[])p.C0.Clone();
        GemmReference.Multiply(p.TransposeA, p.TransposeB, p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, p.Accumulate, reference, p.Ldc);
        var u = Math.Pow(2, -24);
        for (var i = 0; i < p.M; i++)
        {
            for (var j = 0; j < p.Ldc && (i * p.Ldc) + j < fast.Length; j++)
            {
                var at = (i * p.Ldc) + j;
                if (j >= p.N)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(fast[at]) == BitConverter.SingleToInt32Bits(p.C0[at]), $"{p}: padding C[{i},{j}] was written");
                    continue;
                }
                double magnitude = p.Accumulate ? Math.Abs(p.C0[at]) : 0;
                for (var q = 0; q < p.K; q++)
                {
                    magnitude += Math.Abs((double)p.OpA(i, q) * p.OpB(q, j));
                }
                var bound = 2 * (p.K + 2) * u * magnitude + 1e-30;
                var error = Math.Abs(fast[at] - (double)reference[at]);
                Assert.True(error <= bound, $"{p}: C[{i},{j}] = {fast[at]:R}, reference {reference[at]:R}, error {error:E3} > bound {bound:E3}");
            }
        }
    }
}
