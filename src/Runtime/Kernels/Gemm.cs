namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// Single-precision matrix product with a fused epilogue: <c>C = op(A)·op(B) (+ C when accumulate)</c>,
/// then an <see cref="IGemmEpilogue"/> on each finished row segment. Row-major storage throughout.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// C[m×n] = op(A)[m×k] · op(B)[k×n] (+ C[m×n] when <paramref name="accumulate"/>), then the epilogue.
    /// op(A) is A (m×k, leading dimension lda) or, when <paramref name="transposeA"/>, Aᵀ with A stored k×m.
    /// </summary>
    public static void Multiply<TEpilogue>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        bool accumulate, Span<float> c, int ldc, TEpilogue epilogue)
        where TEpilogue : struct, IGemmEpilogue
    {
        // Placeholder until the packed, blocked kernel lands: the reference implementation.
        GemmReference.Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
        for (var i = 0; i < m; i++)
        {
            epilogue.Apply(i, 0, c.Slice(i * ldc, n));
        }
    }

    /// <summary>The product without an epilogue.</summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        bool accumulate, Span<float> c, int ldc)
        => Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, accumulate, c, ldc, default(NoEpilogue));
}
