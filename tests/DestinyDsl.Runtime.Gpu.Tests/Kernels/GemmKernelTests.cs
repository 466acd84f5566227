using DestinyDsl.Runtime.Gpu.Kernels.Library;

namespace DestinyDsl.Runtime.Gpu.Tests.Kernels;

/// <summary>The tiled GEMM against a double-precision reference on ragged shapes, padded leading dimensions and offset views.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class GemmKernelTests(LibraryFixture fx)
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
    public void MatchesTheReferenceForEveryTransposeAndAccumulate(bool ta, bool tb, bool accumulate)
    {
        foreach (var (m, n, k) in new[] { (7, 9, 11), (1, 1, 1), (13, 5, 3), (6, 17, 21), (5, 3, 0) })
        {
            GemmCase.Run(fx, fx.Kernels.Gemm, ta, tb, accumulate, m, n, k, seed: (m * 31) + (n * 7) + k);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WorksForOtherTileEdges(int tile)
    {
        var kernels = fx.With(tile: tile);
        Assert.Equal(tile, kernels.TileEdge);
        GemmCase.Run(fx, kernels.Gemm, false, false, true, 10, 8, 7, seed: tile);
        GemmCase.Run(fx, kernels.Gemm, true, true, false, 5, 11, 9, seed: tile + 10);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TallProductsRunInRowBands(bool transposeA)
    {
        // Two groups of 2 rows a launch: m = 11 takes three launches, each starting further into A and C.
        var kernels = new LibraryKernels(fx.Accelerator, gemmTile: 2) { MaxGemmGridRows = 2 };
        GemmCase.Run(fx, kernels.Gemm, transposeA, false, true, 11, 5, 6, seed: 20);
        GemmCase.Run(fx, kernels.Gemm, transposeA, true, false, 4, 3, 2, seed: 21);
    }

    [Fact]
    public void DefaultTileFitsTheSimulatorGroup()
    {
        // 16 threads a group on the simulator: a 4×4 tile.
        Assert.Equal(4, LibraryKernels.DefaultTileEdge(fx.Accelerator));
        Assert.Equal(16, LibraryKernels.DefaultRowGroupSize(fx.Accelerator));
    }

    [Fact]
    public void RejectsAShortOperand()
    {
        using var a = fx.Upload(new float[5]);
        using var b = fx.Upload(new float[6]);
        using var c = fx.Upload(new float[6]);
        Assert.Throws<ArgumentException>(() => fx.Kernels.Gemm(fx.Stream, false, false, 2, 3, 3, a.View, 3, b.View, 3, false, c.View, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => fx.Kernels.Gemm(fx.Stream, false, false, 2, 3, 2, a.View, 1, b.View, 3, false, c.View, 3));
    }
}
