using DestinyDsl.Runtime.Gpu.Blas;
using DestinyDsl.Runtime.Gpu.Tests.Kernels;

namespace DestinyDsl.Runtime.Gpu.Tests.Blas;

/// <summary>The factory on a non-CUDA accelerator, and the tiled implementation through the interface.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class TiledGemmBlasTests(LibraryFixture fx)
{
    [Fact]
    public void CreatePicksTheTiledKernelOffCuda()
    {
        using var blas = GpuBlas.Create(fx.Accelerator, tf32: true);
        Assert.IsType<TiledGemmBlas>(blas);
        Assert.Equal("tiled kernel (4×4)", blas.Name);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void GemmThroughTheInterfaceMatchesTheReference(bool ta, bool tb)
    {
        using var blas = GpuBlas.Create(fx.Accelerator, tf32: false);
        GemmCase.Run(fx, blas.Gemm, ta, tb, accumulate: true, 9, 6, 10, seed: 40);
        GemmCase.Run(fx, blas.Gemm, ta, tb, accumulate: false, 3, 13, 5, seed: 41);
    }
}
