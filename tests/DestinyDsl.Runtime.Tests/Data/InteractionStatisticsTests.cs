using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Data;

public class InteractionStatisticsTests
{
    [Fact]
    public void QuantilesInterpolateBetweenOrderStatistics()
    {
        var q = CountQuantiles.Of([5, 1, 3, 2, 4]);
        Assert.Equal((1L, 3.0, 5L, 3.0), (q.Min, q.Median, q.Max, q.Mean));
        Assert.Equal(2.0, q.P25, 12);
        Assert.Equal(1.4, q.P10, 12);
    }

    [Fact]
    public void AnExactZipfCurveHasExponentOne()
    {
        // Item c (0-based) is in the first ⌊1000 / (c + 1)⌋ rows: counts 1000, 500, 333, … ∝ 1/rank.
        var rows = Enumerable.Range(0, 1000).Select(r => Enumerable.Range(0, 200).Where(c => r < 1000 / (c + 1)).ToArray()).ToList();
        var stats = InteractionStatistics.Of(SparseMatrix.FromRows(200, rows));
        Assert.InRange(stats.PopularityExponent, 0.97, 1.03);
        Assert.Equal(1000, stats.Popularity.Max);
    }
}
