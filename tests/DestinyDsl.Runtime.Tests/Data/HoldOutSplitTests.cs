using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Data;

public class HoldOutSplitTests
{
    private static readonly SparseMatrix Data = MatrixAssert.Random(200, 60, 0.3, withValues: true, seed: 42).Matrix;

    [Fact]
    public void TrainAndHeldOutAreDisjointAndTogetherTheOriginal()
    {
        var (train, held) = HoldOutSplit.Split(Data, 0.2, seed: 7, minItems: 5);
        MatrixAssert.IsValidCsr(train);
        MatrixAssert.IsValidCsr(held);
        Assert.Equal((Data.Rows, Data.Columns), (train.Rows, train.Columns));
        Assert.Equal((Data.Rows, Data.Columns), (held.Rows, held.Columns));
        for (var r = 0; r < Data.Rows; r++)
        {
            var t = train.RowIndices(r).ToArray();
            var h = held.RowIndices(r).ToArray();
            Assert.Empty(t.Intersect(h));
            Assert.Equal(Data.RowIndices(r).ToArray(), t.Concat(h).Order().ToArray());
            foreach (var c in t) Assert.Equal(Data.ValueAt(r, c), train.ValueAt(r, c));
            foreach (var c in h) Assert.Equal(Data.ValueAt(r, c), held.ValueAt(r, c));
        }
    }

    [Theory]
    [InlineData(0.2, 5)]
    [InlineData(0.5, 2)]
    [InlineData(0.9, 3)]
    [InlineData(0.01, 10)]
    public void EachRowHoldsOutRoundedFractionAtLeastOneAndKeepsOne(double fraction, int minItems)
    {
        var (_, held) = HoldOutSplit.Split(Data, fraction, seed: 1, minItems);
        for (var r = 0; r < Data.Rows; r++)
        {
            var n = Data.RowLength(r);
            var expected = n < minItems ? 0 : Math.Clamp((int)Math.Round(fraction * n, MidpointRounding.AwayFromZero), 1, n - 1);
            Assert.Equal(expected, held.RowLength(r));
        }
    }

    [Fact]
    public void HeldOutCountExamples()
    {
        Assert.Equal(2, HoldOutSplit.HeldOutCount(10, 0.2));
        Assert.Equal(1, HoldOutSplit.HeldOutCount(5, 0.2));
        Assert.Equal(1, HoldOutSplit.HeldOutCount(2, 0.2));    // at least one
        Assert.Equal(2, HoldOutSplit.HeldOutCount(3, 0.5));    // 1.5 rounds away from zero
        Assert.Equal(2, HoldOutSplit.HeldOutCount(3, 0.9));    // at most n − 1
    }

    [Fact]
    public void RowsBelowMinItemsKeepEverything()
    {
        var m = SparseMatrix.FromRows(10, [[1, 2, 3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
        var (train, held) = HoldOutSplit.Split(m, 0.3, seed: 3, minItems: 5);
        Assert.Equal(4, train.RowLength(0));
        Assert.Equal(0, held.RowLength(0));
        Assert.Equal(3, held.RowLength(1));
    }

    [Fact]
    public void TheSameSeedGivesTheSameSplitAndAnotherSeedAnother()
    {
        var a = HoldOutSplit.Split(Data, 0.2, seed: 99, minItems: 5).HeldOut;
        var b = HoldOutSplit.Split(Data, 0.2, seed: 99, minItems: 5).HeldOut;
        var c = HoldOutSplit.Split(Data, 0.2, seed: 100, minItems: 5).HeldOut;
        Assert.Equal(a.ColumnIndices, b.ColumnIndices);
        Assert.NotEqual(a.ColumnIndices, c.ColumnIndices);
    }

    [Fact]
    public void HeldOutEntriesAreSpreadOverTheRow()
    {
        // Every position of a 10-item row should be held out about equally often across many rows.
        var rows = Enumerable.Repeat(Enumerable.Range(0, 10).ToArray(), 5000).ToList();
        var m = SparseMatrix.FromRows(10, rows);
        var (_, held) = HoldOutSplit.Split(m, 0.2, seed: 5, minItems: 5);
        var counts = new int[10];
        foreach (var c in held.ColumnIndices) counts[c]++;
        Assert.All(counts, count => Assert.InRange(count, 850, 1150));   // expected 1000 each
    }

    [Theory]
    [InlineData(0.0, 5)]
    [InlineData(1.0, 5)]
    [InlineData(double.NaN, 5)]
    [InlineData(0.2, 1)]
    public void BadArgumentsAreRejected(double fraction, int minItems)
        => Assert.Throws<ArgumentOutOfRangeException>(() => HoldOutSplit.Split(Data, fraction, 1, minItems));
}
