namespace DestinyDsl.Runtime.Gpu.Tests.Kernels;

/// <summary>The softmax steps against the CPU engine's loops (ShardEngine.Softmax), on ragged rows at an offset.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class RowKernelTests(LibraryFixture fx)
{
    private const int Rows = 5, N = 37, Off = 3;

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void SoftmaxStepsMatchTheReference(int? group)
    {
        var k = fx.With(group: group);
        var z = LibraryFixture.Random(Off + (Rows * N), seed: 1, lo: -4f, hi: 4f);
        z[Off + (2 * N) + 36] = 9f; // a maximum at a row's last element
        using var dz = fx.Upload(z);
        using var dmax = fx.Upload(new float[Off + Rows]);
        using var dsum = fx.Upload(new double[Off + Rows]);
        var zv = dz.From(Off);

        k.RowMax(fx.Stream, zv, Rows, N, dmax.From(Off));
        var max = fx.Download(dmax)[Off..];
        var expectedMax = new float[Rows];
        for (var r = 0; r < Rows; r++)
        {
            var m = float.NegativeInfinity;
            foreach (var v in z.AsSpan(Off + (r * N), N)) m = MathF.Max(m, v);
            expectedMax[r] = m;
        }
        Assert.Equal(expectedMax, max);

        k.ExpAndRowSum(fx.Stream, zv, Rows, N, dmax.From(Off), dsum.From(Off));
        var e = fx.Download(dz);
        var sums = fx.Download(dsum)[Off..];
        var expected = (float[])z.Clone();
        var expectedSum = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            for (var j = 0; j < N; j++)
            {
                var x = MathF.Exp(z[Off + (r * N) + j] - expectedMax[r]);
                expected[Off + (r * N) + j] = x;
                expectedSum[r] += x;
            }
        }
        Close(expected, e, 1e-6);
        Close(expectedSum, sums, 1e-12);

        k.ScaleRows(fx.Stream, zv, Rows, N, dsum.From(Off));
        var a = fx.Download(dz);
        for (var r = 0; r < Rows; r++)
        {
            var inv = (float)(1.0 / sums[r]);
            for (var j = 0; j < N; j++) expected[Off + (r * N) + j] = e[Off + (r * N) + j] * inv;
        }
        Assert.Equal(expected, a);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4)]
    public void JacobianStepsMatchTheReference(int? group)
    {
        var k = fx.With(group: group);
        var u = LibraryFixture.Random(Off + (Rows * N), seed: 2);
        var a = LibraryFixture.Random(Off + (Rows * N), seed: 3, lo: 0f, hi: 1f);
        using var du = fx.Upload(u);
        using var da = fx.Upload(a);
        using var dsum = fx.Upload(new double[Rows]);

        k.RowSums(fx.Stream, du.From(Off), Rows, N, dsum.View);
        var sums = fx.Download(dsum);
        var expectedSum = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            foreach (var v in u.AsSpan(Off + (r * N), N)) expectedSum[r] += v;
        }
        Close(expectedSum, sums, 1e-12);

        k.SubtractScaled(fx.Stream, du.From(Off), da.From(Off), Rows, N, dsum.View);
        var got = fx.Download(du);
        var expected = (float[])u.Clone();
        for (var r = 0; r < Rows; r++)
        {
            var s = (float)sums[r];
            for (var j = 0; j < N; j++) expected[Off + (r * N) + j] -= a[Off + (r * N) + j] * s;
        }
        Close(expected, got, 1e-6);
    }

    [Fact]
    public void EmptyRowsGiveMinusInfinityAndZero()
    {
        using var dz = fx.Upload(new float[1]);
        using var dmax = fx.Upload(new float[3]);
        using var dsum = fx.Upload(new[] { 7.0, 7.0, 7.0 });
        fx.Kernels.RowMax(fx.Stream, dz.View, 3, 0, dmax.View);
        fx.Kernels.RowSums(fx.Stream, dz.View, 3, 0, dsum.View);
        Assert.All(fx.Download(dmax), v => Assert.Equal(float.NegativeInfinity, v));
        Assert.All(fx.Download(dsum), v => Assert.Equal(0.0, v));
    }

    internal static void Close(float[] expected, float[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(1.0, Math.Abs(expected[i])), $"[{i}] = {actual[i]}, expected {expected[i]}");
        }
    }

    internal static void Close(double[] expected, double[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(1.0, Math.Abs(expected[i])), $"[{i}] = {actual[i]}, expected {expected[i]}");
        }
    }
}
