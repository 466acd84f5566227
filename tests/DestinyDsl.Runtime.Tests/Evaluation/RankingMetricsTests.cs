using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Evaluation;

namespace DestinyDsl.Runtime.Tests.Evaluation;

public class RankingMetricsTests
{
    private static double D(int position) => 1 / Math.Log2(1 + position);

    [Fact]
    public void HandComputedExample()
    {
        // Row 0: held out {1, 4, 7}; recommended 4, 2, 7 → hits at positions 1 and 3.
        // Row 1: no held-out items → skipped.
        // Row 2: held out {0}; recommended 3, 0, 5 → hit at position 2.
        var held = SparseMatrix.FromRows(8, [[1, 4, 7], [], [0]]);
        int[][] recs = [[4, 2, 7], [1, 2, 3], [3, 0, 5]];
        var s = RankingMetrics.Compute(recs, held, k: 3);

        Assert.Equal(2, s.UsersEvaluated);
        Assert.Equal(((2.0 / 3) + (1.0 / 3)) / 2, s.PrecisionAtK, 12);
        Assert.Equal(((2.0 / 3) + (1.0 / 1)) / 2, s.RecallAtK, 12);
        var ndcg0 = (D(1) + D(3)) / (D(1) + D(2) + D(3));
        var ndcg2 = D(2) / D(1);                                    // ideal DCG over min(k, |H|) = 1 position
        Assert.Equal((ndcg0 + ndcg2) / 2, s.NdcgAtK, 12);
    }

    [Fact]
    public void OnlyTheFirstKCountAndShortListsStillDivideByK()
    {
        var held = SparseMatrix.FromRows(10, [[5, 6]]);
        var s = RankingMetrics.Compute([[0, 1, 5, 6]], held, k: 2);       // 5 and 6 are beyond k
        Assert.Equal(0, s.PrecisionAtK);
        var shortList = RankingMetrics.Compute([[5]], held, k: 4);
        Assert.Equal(0.25, shortList.PrecisionAtK, 12);
        Assert.Equal(0.5, shortList.RecallAtK, 12);
        Assert.Equal(D(1) / (D(1) + D(2)), shortList.NdcgAtK, 12);
    }

    [Fact]
    public void PerfectRankingScoresOne()
    {
        var held = SparseMatrix.FromRows(6, [[0, 3], [1, 2, 4, 5]]);
        var s = RankingMetrics.Compute([[3, 0], [5, 4]], held, k: 2);
        Assert.Equal(1, s.PrecisionAtK, 12);
        Assert.Equal((1 + 0.5) / 2, s.RecallAtK, 12);
        Assert.Equal(1, s.NdcgAtK, 12);
    }

    [Fact]
    public void NoHeldOutItemsGivesNaNAndNoUsers()
    {
        var s = RankingMetrics.Compute([[1]], SparseMatrix.FromRows(3, [[]]), 5);
        Assert.Equal(0, s.UsersEvaluated);
        Assert.True(double.IsNaN(s.PrecisionAtK));
    }

    [Fact]
    public void RowsWithoutHeldOutItemsMayHaveNoList()
    {
        var s = RankingMetrics.Compute([null!, [2]], SparseMatrix.FromRows(3, [[], [2]]), 1);
        Assert.Equal(1, s.PrecisionAtK);
    }

    [Fact]
    public void InvalidRecommendationsAreRejected()
    {
        var held = SparseMatrix.FromRows(4, [[1], [2]]);
        Assert.Contains("1 recommendation lists for a held-out matrix of 2 rows", Assert.Throws<ArgumentException>(() => RankingMetrics.Compute([[1]], held, 2)).Message);
        Assert.Contains("Row 1: column 3 is recommended twice", Assert.Throws<ArgumentException>(() => RankingMetrics.Compute([[1], [3, 3]], held, 2)).Message);
        Assert.Contains("Row 0: recommended column 4 is outside [0, 4)", Assert.Throws<ArgumentException>(() => RankingMetrics.Compute([[4], [2]], held, 2)).Message);
        Assert.Contains("row 1 are null", Assert.Throws<ArgumentException>(() => RankingMetrics.Compute([[1], null!], held, 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Compute([[1], [2]], held, 0));
    }
}
