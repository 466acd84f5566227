using DestinyDsl.Runtime.Kernels.Blas;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// Single-precision matrix products with fused epilogues, row-major storage throughout.
/// </summary>
/// <remarks>
/// Contract every implementation keeps (the engine's determinism rests on it): each element of C is summed over
/// k by one thread in a fixed order, so results do not depend on the thread count; the epilogue or sink sees each
/// element exactly once, after all of k has been summed; segments handed to it never overlap, and it may be called
/// from several threads at once.
/// <para>
/// This implementation computes every element as one fused-multiply-add chain over k in ascending order, starting
/// from C when <c>accumulate</c> is set and from 0 otherwise, so the result is also independent of the register
/// width and the cache blocking. Packed and cache-blocked (see <c>Kernels/Blas/</c>), run on up to
/// <see cref="KernelThreads.ForCurrentThread"/> threads; safe to call from several threads at once. C must not
/// overlap A or B.
/// </para>
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// C[m×n] = op(A)[m×k] · op(B)[k×n] (+ C when <paramref name="accumulate"/>), then <paramref name="epilogue"/> on
    /// each finished row segment of C, in place. op(A) is A stored m×k (leading dimension <paramref name="lda"/>) or,
    /// when <paramref name="transposeA"/>, Aᵀ of A stored k×m; likewise B.
    /// </summary>
    public static unsafe void Multiply<TEpilogue>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        bool accumulate, Span<float> c, int ldc, TEpilogue epilogue)
        where TEpilogue : struct, IGemmEpilogue
    {
        GemmArguments.Check(nameof(Multiply), transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb);
        GemmArguments.CheckMatrix(nameof(Multiply), "c", "C", m, n, c.Length, ldc, transposed: false);
        if (m == 0 || n == 0)
        {
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            var operands = new GemmOperands(pa, lda, transposeA, pb, ldb, transposeB);
            GemmExecutor.Run(operands, m, n, k, pc, ldc, accumulate, epilogue, toSink: false);
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
    public static unsafe void MultiplyToSink<TSink>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, TSink sink)
        where TSink : struct, IGemmEpilogue
    {
        GemmArguments.Check(nameof(MultiplyToSink), transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb);
        if (m == 0 || n == 0)
        {
            return;
        }
        fixed (float* pa = a, pb = b)
        {
            var operands = new GemmOperands(pa, lda, transposeA, pb, ldb, transposeB);
            GemmExecutor.Run(operands, m, n, k, null, 0, accumulate: false, sink, toSink: true);
        }
    }
}
