using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Evaluation;
using Xunit.Abstractions;

namespace DestinyDsl.Runtime.Tests.Evaluation;

/// <summary>
/// The synthetic data must carry structure a recommender can learn, or no model could beat popularity on it.
/// Checked with the simplest collaborative filter there is, on the example's own split.
/// </summary>
public class SyntheticLearnabilityTests(ITestOutputHelper output)
{
    private const int K = 10;

    [Fact]
    public void ItemKnnBeatsPopularityOnHeldOutPrecisionByAClearMargin()
    {
        var data = SyntheticInteractions.Generate(new SyntheticOptions());
        var (train, heldOut) = HoldOutSplit.Split(data.Matrix, 0.2, seed: 2016, minItems: 5);

        var popularity = new PopularityBaseline(train);
        var popularityScores = RankingMetrics.Compute(Enumerable.Range(0, train.Rows).Select(r => popularity.Recommend(r, train, K)).ToList(), heldOut, K);
        var knn = new ItemKnnRecommender(train);
        var knnScores = RankingMetrics.Compute(Enumerable.Range(0, train.Rows).Select(r => knn.Recommend(r, train, K)).ToList(), heldOut, K);

        output.WriteLine($"popularity: {popularityScores}");
        output.WriteLine($"item kNN:   {knnScores}");
        var ratio = knnScores.PrecisionAtK / popularityScores.PrecisionAtK;
        output.WriteLine($"P@{K} ratio: {ratio:F2}");
        Assert.Equal(6040, knnScores.UsersEvaluated);
        Assert.True(popularityScores.PrecisionAtK > 0.05, "popularity should be a real baseline, not a straw man");
        Assert.True(ratio >= 1.3, $"item kNN P@{K} {knnScores.PrecisionAtK:F4} is only {ratio:F2}× popularity's {popularityScores.PrecisionAtK:F4}");
        Assert.True(knnScores.NdcgAtK > popularityScores.NdcgAtK);
    }

    [Fact]
    public void WithoutTopicsPopularityIsAsGoodAsItGets()
    {
        // Control: with TopicShare 0 every user draws from global popularity alone, so there is nothing for the
        // kNN to learn and it must not beat popularity clearly. This shows the margin above comes from the topics.
        var data = SyntheticInteractions.Generate(new SyntheticOptions { Users = 2000, Items = 1500, TopicShare = 0 });
        var (train, heldOut) = HoldOutSplit.Split(data.Matrix, 0.2, seed: 2016, minItems: 5);
        var popularity = new PopularityBaseline(train);
        var popularityScores = RankingMetrics.Compute(Enumerable.Range(0, train.Rows).Select(r => popularity.Recommend(r, train, K)).ToList(), heldOut, K);
        var knn = new ItemKnnRecommender(train);
        var knnScores = RankingMetrics.Compute(Enumerable.Range(0, train.Rows).Select(r => knn.Recommend(r, train, K)).ToList(), heldOut, K);
        output.WriteLine($"no topics: popularity P@{K} {popularityScores.PrecisionAtK:F4}, item kNN {knnScores.PrecisionAtK:F4}");
        Assert.True(knnScores.PrecisionAtK < 1.1 * popularityScores.PrecisionAtK);
    }
}
