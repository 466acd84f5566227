using DestinyDsl.Runtime.Gpu.Kernels.Library;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Blas;

/// <summary>
/// Products by the library's shared-memory tiled kernel (<see cref="LibraryKernels.Gemm"/>): any accelerator, always
/// full FP32. The fallback where cuBLAS is not available, and the product on the CPU simulator.
/// </summary>
internal sealed class TiledGemmBlas : IGpuBlas
{
    private readonly LibraryKernels _kernels;

    /// <summary>Uses the kernels compiled for <paramref name="accelerator"/>; <paramref name="name"/> overrides <see cref="Name"/> (e.g. to say why cuBLAS is not used).</summary>
    public TiledGemmBlas(Accelerator accelerator, string? name = null)
    {
        _kernels = LibraryKernels.For(accelerator);
        Name = name ?? $"tiled kernel ({_kernels.TileEdge}×{_kernels.TileEdge})";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void Gemm(
        AcceleratorStream stream, bool transposeA, bool transposeB, int m, int n, int k,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb,
        bool accumulate, ArrayView<float> c, int ldc)
        => _kernels.Gemm(stream, transposeA, transposeB, m, n, k, a, lda, b, ldb, accumulate, c, ldc);

    /// <summary>Nothing to release: the kernels belong to the accelerator.</summary>
    public void Dispose()
    {
    }
}
