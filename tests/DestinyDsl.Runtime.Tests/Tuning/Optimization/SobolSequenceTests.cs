using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tests.Tuning.Optimization;

public class SobolSequenceTests
{
    [Fact]
    public void FirstPointsAreTheStandardOnes()
    {
        var sobol = new SobolSequence(SobolSequence.MaxDimensions);
        Assert.All(sobol.Point(0), v => Assert.Equal(0, v));
        Assert.All(sobol.Point(1), v => Assert.Equal(0.5, v));
        // Joe–Kuo (as SciPy's unscrambled qmc.Sobol): points 2 and 3 of dimensions 1..3.
        Assert.Equal([0.75, 0.25, 0.25], sobol.Point(2)[..3]);
        Assert.Equal([0.25, 0.75, 0.75], sobol.Point(3)[..3]);
        Assert.Equal([0.375, 0.375, 0.625], sobol.Point(4)[..3]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryDimensionIsStratified(bool shifted)
    {
        // The first 2^k points put exactly one point in each interval [i/2^k, (i+1)/2^k) of every coordinate.
        var sobol = new SobolSequence(SobolSequence.MaxDimensions, shifted ? new Random(5) : null);
        const int k = 10, n = 1 << k;
        var hits = new int[SobolSequence.MaxDimensions, n];
        for (var i = 0; i < n; i++)
        {
            var p = sobol.Point(i);
            for (var d = 0; d < p.Length; d++)
                hits[d, (int)(p[d] * n)]++;
        }
        foreach (var count in hits)
            Assert.Equal(1, count);
    }

    [Fact]
    public void PairsOfDimensionsAreEquidistributed()
    {
        // A (0, m, 2)-net in the first two dimensions; and in every pair, each 2^k×2^k cell of 4^k points stays
        // far from empty (a net property with quality parameter t ≤ small).
        var sobol = new SobolSequence(SobolSequence.MaxDimensions);
        const int n = 1024;
        var points = Enumerable.Range(0, n).Select(i => sobol.Point(i)).ToArray();
        foreach (var (rows, columns) in new[] { (16, 64), (32, 32), (64, 16), (2, 512) })
        {
            var counts = new int[rows, columns];
            foreach (var p in points)
                counts[(int)(p[0] * rows), (int)(p[1] * columns)]++;
            foreach (var c in counts)
                Assert.Equal(1, c);
        }
        for (var d1 = 0; d1 < SobolSequence.MaxDimensions; d1++)
            for (var d2 = d1 + 1; d2 < SobolSequence.MaxDimensions; d2++)
            {
                var counts = new int[4, 4];
                foreach (var p in points)
                    counts[(int)(p[d1] * 4), (int)(p[d2] * 4)]++;
                foreach (var c in counts)
                    Assert.InRange(c, 32, 96);
            }
    }
}
