using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Data;

public class SparseMatrixBuilderTests
{
    [Fact]
    public void SortsEachRowKeepingValuesWithTheirColumns()
    {
        var builder = new SparseMatrixBuilder(withValues: true);
        builder.AddRow([5, 1, 3], [50f, 10f, 30f]);
        builder.AddRow([2], [20f]);
        var m = builder.Build();
        MatrixAssert.IsValidCsr(m);
        Assert.Equal(6, m.Columns);                 // largest column + 1
        Assert.Equal([1, 3, 5], m.RowIndices(0).ToArray());
        Assert.Equal([10f, 30f, 50f], m.RowValues(0).ToArray());
        Assert.Equal(20f, m.ValueAt(1, 2));
    }

    [Fact]
    public void IndicatorRowsInAValuedBuilderGetOne()
    {
        var builder = new SparseMatrixBuilder(4, withValues: true);
        builder.AddRow([3, 0]);
        Assert.Equal([1f, 1f], builder.Build().RowValues(0).ToArray());
    }

    [Fact]
    public void RejectsDuplicatesNegativeAndOutOfRangeColumns()
    {
        var builder = new SparseMatrixBuilder(4);
        builder.AddRow([0]);
        Assert.Contains("Row 1 has column 2 twice", Assert.Throws<ArgumentException>(() => builder.AddRow([2, 1, 2])).Message);
        Assert.Contains("Row 1 has negative column -1", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddRow([-1])).Message);
        Assert.Contains("Row 1 has column 4 outside [0, 4)", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddRow([4])).Message);
        Assert.Equal(1, builder.Rows);              // rejected rows were not added
    }

    [Fact]
    public void ValuesNeedAValuedBuilderAndMatchingLengths()
    {
        Assert.Throws<InvalidOperationException>(() => new SparseMatrixBuilder().AddRow([1], [2f]));
        var valued = new SparseMatrixBuilder(withValues: true);
        Assert.Contains("2 columns but 1 values", Assert.Throws<ArgumentException>(() => valued.AddRow([1, 2], [2f])).Message);
    }

    [Fact]
    public void BuildChecksTheColumnCountAndCanRunOnce()
    {
        var builder = new SparseMatrixBuilder();
        builder.AddRow([7]);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Build(7));
        var m = builder.Build(10);
        Assert.Equal(10, m.Columns);
        Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Throws<InvalidOperationException>(() => new SparseMatrixBuilder().Build());
    }

    [Fact]
    public void ManyEntriesAcrossStorageChunksStayInOrder()
    {
        // 1.5 M entries crosses the 1 Mi-element chunk boundary of the builder's storage.
        var builder = new SparseMatrixBuilder(3000, withValues: true);
        var columns = Enumerable.Range(0, 3000).ToArray();
        for (var r = 0; r < 500; r++) builder.AddRow(columns, columns.Select(c => (float)(r + c)).ToArray());
        var m = builder.Build();
        MatrixAssert.IsValidCsr(m);
        Assert.Equal(1_500_000, m.NonZeroCount);
        Assert.Equal(499f + 2999f, m.ValueAt(499, 2999));
        Assert.Equal(350f + 1234f, m.ValueAt(350, 1234));
    }
}
