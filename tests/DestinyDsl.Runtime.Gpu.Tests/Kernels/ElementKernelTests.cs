namespace DestinyDsl.Runtime.Gpu.Tests.Kernels;

/// <summary>Add, fill, clear and the non-finite check on views at an offset, leaving what is past the count alone.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class ElementKernelTests(LibraryFixture fx)
{
    private const int Count = 45, Off = 3;

    [Fact]
    public void AddFillAndClearTouchOnlyTheCount()
    {
        var dst = LibraryFixture.Random(Off + Count + 4, seed: 8);
        var src = LibraryFixture.Random(Count + 1, seed: 9);
        using var dd = fx.Upload(dst);
        using var ds = fx.Upload(src);

        fx.Kernels.Add(fx.Stream, dd.From(Off), ds.View, Count);
        var expected = (float[])dst.Clone();
        for (var i = 0; i < Count; i++) expected[Off + i] += src[i];
        Assert.Equal(expected, fx.Download(dd));

        fx.Kernels.Fill(fx.Stream, dd.From(Off), 2.5f, Count);
        for (var i = 0; i < Count; i++) expected[Off + i] = 2.5f;
        Assert.Equal(expected, fx.Download(dd));

        fx.Kernels.Clear(fx.Stream, dd.From(Off + 1), Count - 2);
        for (var i = 1; i < Count - 1; i++) expected[Off + i] = 0f;
        Assert.Equal(expected, fx.Download(dd));
    }

    [Theory]
    [InlineData(float.NaN, 1)]
    [InlineData(float.PositiveInfinity, 1)]
    [InlineData(float.NegativeInfinity, 1)]
    [InlineData(float.MaxValue, 0)]
    [InlineData(-1e-45f, 0)]
    public void AnyNonFiniteFlagsNanAndInfinity(float value, int flag)
    {
        var values = LibraryFixture.Random(Off + Count + 2, seed: 10);
        values[Off + 17] = value;
        values[Off + Count] = float.NaN; // past the count: ignored
        values[Off - 1] = float.NaN;     // before the view: ignored
        using var dv = fx.Upload(values);
        using var df = fx.Upload(new[] { 7 });
        fx.Kernels.AnyNonFinite(fx.Stream, dv.From(Off), Count, df.View);
        Assert.Equal(flag, fx.Download(df)[0]);
    }
}
