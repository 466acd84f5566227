namespace DestinyDsl.Runtime.Gpu.Tests.Kernels;

/// <summary>The column reductions against the CPU engine's loops (ShardEngine.Backward), on ragged shapes at an offset.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class ColumnKernelTests(LibraryFixture fx)
{
    private const int Rows = 13, N = 29, Off = 5;

    [Fact]
    public void ColumnSumsAddTheRowsInOrder()
    {
        var delta = LibraryFixture.Random(Off + (Rows * N), seed: 4);
        using var dd = fx.Upload(delta);
        using var dg = fx.Upload(new float[Off + N + 2]);
        fx.Kernels.ColumnSums(fx.Stream, dd.From(Off), Rows, N, dg.From(Off));
        var got = fx.Download(dg);
        var expected = new float[Off + N + 2];
        for (var j = 0; j < N; j++)
        {
            var s = delta[Off + j];
            for (var r = 1; r < Rows; r++) s += delta[Off + (r * N) + j];
            expected[Off + j] = s;
        }
        RowKernelTests.Close(expected, got, 1e-6);
    }

    [Fact]
    public void SquareNormsAndColumnScaling()
    {
        var w = LibraryFixture.Random(Off + (Rows * N), seed: 5);
        var factor = LibraryFixture.Random(N, seed: 6, lo: 0.5f, hi: 1f);
        using var dw = fx.Upload(w);
        using var dn = fx.Upload(new float[N]);
        using var df = fx.Upload(factor);
        fx.Kernels.ColumnSquareNorms(fx.Stream, dw.From(Off), Rows, N, dn.View);
        var norms = fx.Download(dn);
        var expected = new float[N];
        for (var r = 0; r < Rows; r++)
        {
            for (var j = 0; j < N; j++) expected[j] += w[Off + (r * N) + j] * w[Off + (r * N) + j];
        }
        RowKernelTests.Close(expected, norms, 1e-6);

        fx.Kernels.ScaleColumns(fx.Stream, dw.From(Off), Rows, N, df.View);
        var scaled = fx.Download(dw);
        var expectedW = (float[])w.Clone();
        for (var r = 0; r < Rows; r++)
        {
            for (var j = 0; j < N; j++) expectedW[Off + (r * N) + j] *= factor[j];
        }
        Assert.Equal(expectedW, scaled);
    }

    [Fact]
    public void SparsenessPenaltyMatchesTheEngineFormula()
    {
        const float p = 0.05f, beta = 3f;
        var a = LibraryFixture.Random(Off + (Rows * N), seed: 7, lo: 0f, hi: 1f);
        for (var r = 0; r < Rows; r++)
        {
            a[Off + (r * N) + 3] = 0f; // ρ clamps to 1e-6
            a[Off + (r * N) + 4] = 1f; // ρ clamps to 1 − 1e-6
        }
        using var da = fx.Upload(a);
        using var dp = fx.Upload(new float[N]);
        fx.Kernels.SparsenessPenalty(fx.Stream, da.From(Off), Rows, N, p, beta, dp.View);
        var got = fx.Download(dp);
        var expected = new float[N];
        for (var j = 0; j < N; j++)
        {
            double sum = 0;
            for (var b = 0; b < Rows; b++) sum += a[Off + (b * N) + j];
            var rho = Math.Clamp(sum / Rows, 1e-6, 1 - 1e-6);
            expected[j] = (float)(beta * ((-p / rho) + ((1 - p) / (1 - rho))));
        }
        RowKernelTests.Close(expected, got, 1e-6);
    }
}
