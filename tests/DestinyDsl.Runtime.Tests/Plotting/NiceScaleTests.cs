using DestinyDsl.Runtime.Plotting;

namespace DestinyDsl.Runtime.Tests.Plotting;

public class NiceScaleTests
{
    [Theory]
    [InlineData(3.7, 98.7, 0, 100, 20)]
    [InlineData(0, 1, 0, 1, 0.2)]
    [InlineData(41.2, 43.9, 41, 44, 0.5)]
    [InlineData(-3, 7, -4, 8, 2)]
    [InlineData(0.0012, 0.0047, 0.001, 0.005, 0.0005)]
    public void RangesWidenToRoundTicks(double min, double max, double niceMin, double niceMax, double step)
    {
        var scale = NiceScale.For(min, max);
        Assert.Equal(niceMin, scale.Min, 9);
        Assert.Equal(niceMax, scale.Max, 9);
        Assert.Equal(step, scale.Step, 9);
        Assert.InRange(scale.Ticks().Count(), 2, 9);
    }

    [Fact]
    public void DegenerateRangesStillGetAnAxis()
    {
        var flat = NiceScale.For(5, 5);
        Assert.True(flat.Min < 5 && flat.Max > 5);
        var none = NiceScale.For(double.PositiveInfinity, double.NegativeInfinity);
        Assert.Equal((0.0, 1.0), (none.Min, none.Max));
        Assert.Equal(0, NiceScale.For(-1, 1).Ticks().Single(t => Math.Abs(t) < 1e-12));
    }
}
