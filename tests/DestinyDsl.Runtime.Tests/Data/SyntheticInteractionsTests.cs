using DestinyDsl.Runtime.Data;
using Xunit.Abstractions;

namespace DestinyDsl.Runtime.Tests.Data;

public class SyntheticInteractionsTests(ITestOutputHelper output)
{
    private static readonly Lazy<InteractionData> Defaults = new(() => SyntheticInteractions.Generate(new SyntheticOptions()));

    [Fact]
    public void DefaultsAreShapedLikeMovieLens1M()
    {
        var data = Defaults.Value;
        var stats = InteractionStatistics.Of(data.Matrix);
        output.WriteLine(stats.ToString());

        Assert.Equal(6040, stats.Rows);
        Assert.Equal(3706, stats.Columns);
        Assert.Equal(6040, data.Users.Count);
        Assert.Equal("m1", data.Items.ExternalId(0));
        Assert.True(data.Matrix.IsIndicator);
        MatrixAssert.IsValidCsr(data.Matrix);
        Assert.InRange(stats.Interactions, 900_000, 1_100_000);          // ML-1M: 1,000,209
        Assert.True(stats.History.Min >= 20, $"min history {stats.History.Min}");
        Assert.InRange(stats.History.Median, 86, 106);                   // ML-1M: 96
        Assert.InRange(stats.History.Mean, 140, 195);                    // ML-1M: 165.6
        Assert.InRange(stats.History.Max, 1000, (long)(0.6 * 3706));     // heavy tail, capped at 60 % of the items
    }

    [Fact]
    public void ItemPopularityIsHeavyTailed()
    {
        var stats = InteractionStatistics.Of(Defaults.Value.Matrix);
        Assert.InRange(stats.PopularityExponent, 0.6, 1.1);
        Assert.True(stats.Popularity.Max > 10 * stats.Popularity.Median, $"head {stats.Popularity.Max} vs median {stats.Popularity.Median}");
        Assert.True(stats.Popularity.P10 < 0.25 * stats.Popularity.Median, $"tail P10 {stats.Popularity.P10} vs median {stats.Popularity.Median}");

        // The 10 % most popular items carry a large share of all interactions, as in real catalogues.
        var counts = new long[3706];
        foreach (var c in Defaults.Value.Matrix.ColumnIndices) counts[c]++;
        var top = counts.OrderDescending().Take(371).Sum();
        Assert.InRange((double)top / stats.Interactions, 0.3, 0.6);
    }

    [Fact]
    public void TheSameSeedGivesTheSameDataAndAnotherSeedOther()
    {
        var options = new SyntheticOptions { Users = 300, Items = 500 };
        var a = SyntheticInteractions.Generate(options).Matrix;
        var b = SyntheticInteractions.Generate(options).Matrix;
        var c = SyntheticInteractions.Generate(options with { Seed = 7 }).Matrix;
        Assert.Equal(a.RowOffsets, b.RowOffsets);
        Assert.Equal(a.ColumnIndices, b.ColumnIndices);
        Assert.NotEqual(a.ColumnIndices, c.ColumnIndices);
    }

    [Fact]
    public void UsersWithTheSameTopicsShareMoreItemsThanRandomPairs()
    {
        // The structure: with every draw from the user's topics (TopicShare 1, one topic each), two users overlap far
        // more when they like the same topic. Users are compared by item overlap only; the topics are not exposed.
        var data = SyntheticInteractions.Generate(new SyntheticOptions { Users = 400, Items = 1000, TopicShare = 1, TopicsPerUser = 1, Topics = 10 }).Matrix;
        var overlaps = new List<double>();
        for (var u = 0; u < 200; u++)
        {
            var a = data.RowIndices(u).ToArray();
            var b = data.RowIndices(u + 200).ToArray();
            overlaps.Add(a.Intersect(b).Count() / (double)Math.Min(a.Length, b.Length));
        }
        overlaps.Sort();
        // A bimodal picture: some pairs share a topic (large overlap), most do not (small overlap).
        Assert.True(overlaps[^10] > 3 * overlaps[overlaps.Count / 2], $"top overlaps {overlaps[^10]:F3} vs median {overlaps[overlaps.Count / 2]:F3}");
    }

    [Fact]
    public void SmallCataloguesWork()
    {
        var data = SyntheticInteractions.Generate(new SyntheticOptions { Users = 50, Items = 30 });
        Assert.Equal(50, data.Matrix.Rows);
        for (var r = 0; r < 50; r++) Assert.Equal(20, data.Matrix.RowLength(r));   // 60 % of 30 < MinHistory: everyone gets 20
    }

    [Theory]
    [InlineData(nameof(SyntheticOptions.Users))]
    [InlineData(nameof(SyntheticOptions.MinHistory))]
    [InlineData(nameof(SyntheticOptions.TopicShare))]
    [InlineData(nameof(SyntheticOptions.MedianHistory))]
    public void InvalidOptionsAreRejectedByName(string option)
    {
        var bad = option switch
        {
            nameof(SyntheticOptions.Users) => new SyntheticOptions { Users = 0 },
            nameof(SyntheticOptions.MinHistory) => new SyntheticOptions { Items = 10 },
            nameof(SyntheticOptions.TopicShare) => new SyntheticOptions { TopicShare = 1.5 },
            _ => new SyntheticOptions { MedianHistory = 20 },
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticInteractions.Generate(bad));
        Assert.Contains($"SyntheticOptions.{option}", e.Message);
    }
}
