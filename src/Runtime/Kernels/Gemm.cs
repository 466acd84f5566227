namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// Single-precision matrix products with fused epilogues, row-major storage throughout.
/// </summary>
/// <remarks>
/// Contract every implementation keeps (the engine's determinism rests on it): each element of C is summed over
/// k by one thread in a fixed order, so results do not depend on the thread count; the epilogue or sink sees each
/// element exactly once, after all of k has been summed; segments handed to it never overlap, and it may be called
/// from several threads at once.
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// C[m×n] = op(A)[m×k] · op(B)[k×n] (+ C when <paramref name="accumulate"/>), then <paramref name="epilogue"/> on
    /// each finished row segment of C, in place. op(A) is A stored m×k (leading dimension <paramref name="lda"/>) or,
    /// when <paramref name="transposeA"/>, Aᵀ of A stored k×m; likewise B.
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

    /// <summary>
    /// Computes op(A)·op(B) tile by tile without ever materialising C: each finished row segment (all of k summed)
    /// is handed to <paramref name="sink"/>, which consumes it — e.g. as the gradient of an optimizer update — while
    /// it is in cache. The segment's memory is scratch owned by the kernel.
    /// </summary>
    public static void MultiplyToSink<TSink>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, TSink sink)
        where TSink : struct, IGemmEpilogue
    {
        var row = new float[n];
        for (var i = 0; i < m; i++)
        {
            GemmReference.Multiply(transposeA, transposeB, 1, n, k,
                transposeA ? a[i..] : a.Slice(i * lda), lda, b, ldb, false, row, n);
            sink.Apply(i, 0, row);
        }
    }
}
