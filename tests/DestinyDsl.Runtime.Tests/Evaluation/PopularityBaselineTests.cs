using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Evaluation;

namespace DestinyDsl.Runtime.Tests.Evaluation;

public class PopularityBaselineTests
{
    // Column counts: 0→1, 1→3, 2→2, 3→3, 4→0.
    private static readonly SparseMatrix Train = SparseMatrix.FromRows(5, [[1, 3], [0, 1, 2, 3], [1, 2, 3]]);

    [Fact]
    public void RanksByTrainingCountThenByColumn()
    {
        var baseline = new PopularityBaseline(Train);
        Assert.Equal([1L, 3, 2, 3, 0], baseline.Counts.ToArray());
        Assert.Equal([1, 3, 2, 0, 4], baseline.Ranking.ToArray());
    }

    [Fact]
    public void RecommendSkipsSeenItems()
    {
        var baseline = new PopularityBaseline(Train);
        Assert.Equal([2, 0], baseline.Recommend(0, Train, 2));       // row 0 has seen 1 and 3
        Assert.Equal([4], baseline.Recommend(1, Train, 3));           // only column 4 is unseen
    }

    [Fact]
    public void RecommendChecksItsArguments()
    {
        var baseline = new PopularityBaseline(Train);
        Assert.Throws<ArgumentOutOfRangeException>(() => baseline.Recommend(3, Train, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => baseline.Recommend(0, Train, 0));
        Assert.Contains("6 columns", Assert.Throws<ArgumentException>(() => baseline.Recommend(0, SparseMatrix.FromRows(6, [[1]]), 2)).Message);
    }
}
