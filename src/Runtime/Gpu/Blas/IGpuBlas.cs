using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Blas;

/// <summary>
/// Single-precision matrix products on one accelerator, in ROW-MAJOR terms with the meaning of the CPU
/// <c>Gemm.Multiply</c> (src/Runtime/Kernels/Gemm.cs): <c>C[m×n] = op(A)·op(B)</c>, plus C when
/// <c>accumulate</c>; op(A) is A stored m×k with leading dimension <c>lda</c>, or k×m when <c>transposeA</c>; likewise
/// B. Work is enqueued on the given stream; C must not overlap A or B. Create with <see cref="GpuBlas.Create"/>.
/// </summary>
internal interface IGpuBlas : IDisposable
{
    /// <summary>What computes the products, for logs (e.g. "cuBLAS 130100 (TF32)" or "tiled kernel (16×16)").</summary>
    string Name { get; }

    /// <summary><c>C[m×n] (+)= op(A)·op(B)</c>, row-major, on <paramref name="stream"/>.</summary>
    void Gemm(
        AcceleratorStream stream, bool transposeA, bool transposeB, int m, int n, int k,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb,
        bool accumulate, ArrayView<float> c, int ldc);
}
