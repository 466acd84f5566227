using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Data;

public class SparseMatrixOperationsTests
{
    [Theory]
    [InlineData(false, 0, 17)]
    [InlineData(true, 0, 17)]
    [InlineData(true, 5, 11)]
    [InlineData(false, 16, 17)]
    [InlineData(true, 3, 4)]
    public void SliceColumnsKeepsTheRangeRebasedToZero(bool withValues, int start, int end)
    {
        var (matrix, dense) = MatrixAssert.Random(23, 17, 0.3, withValues, seed: start * 31 + end);
        var slice = matrix.SliceColumns(start, end);

        var expected = new float[23, end - start];
        for (var r = 0; r < 23; r++)
        {
            for (var c = start; c < end; c++) expected[r, c - start] = dense[r, c];
        }
        MatrixAssert.Equal(expected, slice);
        Assert.Equal(withValues, slice.Values is not null);
    }

    [Fact]
    public void SlicesOfAPartitionAddUpToTheWhole()
    {
        var (matrix, _) = MatrixAssert.Random(40, 100, 0.1, withValues: true, seed: 3);
        var parts = new[] { (0, 33), (33, 67), (67, 100) }.Select(p => matrix.SliceColumns(p.Item1, p.Item2)).ToArray();
        Assert.Equal(matrix.NonZeroCount, parts.Sum(p => p.NonZeroCount));
        for (var r = 0; r < matrix.Rows; r++) Assert.Equal(matrix.RowLength(r), parts.Sum(p => p.RowLength(r)));
    }

    [Theory]
    [InlineData(-1, 3)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(0, 18)]
    public void SliceColumnsRejectsBadRanges(int start, int end)
    {
        var (matrix, _) = MatrixAssert.Random(3, 17, 0.5, false, seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => matrix.SliceColumns(start, end));
        Assert.Contains($"[{start}, {end})", e.Message);
    }

    [Fact]
    public void SelectRowsTakesRowsInTheGivenOrderWithRepeats()
    {
        var (matrix, dense) = MatrixAssert.Random(10, 8, 0.4, withValues: true, seed: 5);
        int[] rows = [7, 0, 7, 3];
        var selected = matrix.SelectRows(rows);

        var expected = new float[rows.Length, 8];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var c = 0; c < 8; c++) expected[i, c] = dense[rows[i], c];
        }
        MatrixAssert.Equal(expected, selected);
    }

    [Fact]
    public void SelectRowsOfNothingIsAnEmptyMatrixWithTheSameColumns()
    {
        var (matrix, _) = MatrixAssert.Random(4, 6, 0.5, false, seed: 2);
        var none = matrix.SelectRows([]);
        Assert.Equal(0, none.Rows);
        Assert.Equal(6, none.Columns);
        Assert.Equal(0, none.Density);
    }

    [Fact]
    public void SelectRowsRejectsARowOutsideTheMatrix()
    {
        var (matrix, _) = MatrixAssert.Random(4, 6, 0.5, false, seed: 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => matrix.SelectRows([1, 4]));
        Assert.Contains("rows[1] = 4", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TransposeSwapsRowsAndColumnsAndTwiceIsTheOriginal(bool withValues)
    {
        var (matrix, dense) = MatrixAssert.Random(13, 21, 0.25, withValues, seed: 9);
        var transposed = matrix.Transpose();
        var expected = new float[21, 13];
        for (var r = 0; r < 13; r++)
        {
            for (var c = 0; c < 21; c++) expected[c, r] = dense[r, c];
        }
        MatrixAssert.Equal(expected, transposed);

        var back = transposed.Transpose();
        Assert.Equal(matrix.RowOffsets, back.RowOffsets);
        Assert.Equal(matrix.ColumnIndices, back.ColumnIndices);
        Assert.Equal(matrix.Values, back.Values);
    }

    [Fact]
    public void FromRowsSortsEachRowAndComputesDensity()
    {
        var m = SparseMatrix.FromRows(5, [[4, 0, 2], [], [1]]);
        MatrixAssert.Equal(new float[,] { { 1, 0, 1, 0, 1 }, { 0, 0, 0, 0, 0 }, { 0, 1, 0, 0, 0 } }, m);
        Assert.Equal(4.0 / 15, m.Density, 12);
        Assert.True(m.IsIndicator);
        Assert.True(m.Contains(0, 4));
        Assert.False(m.Contains(1, 4));
        Assert.Equal(1f, m.ValueAt(2, 1));
        Assert.Equal(0f, m.ValueAt(2, 2));
    }

    [Fact]
    public void FromRowsRejectsADuplicateColumnNamingTheRow()
    {
        var e = Assert.Throws<ArgumentException>(() => SparseMatrix.FromRows(5, [[1], [3, 0, 3]]));
        Assert.Contains("Row 1 has column 3 twice", e.Message);
    }

    [Fact]
    public void RowAccessorsCheckTheRow()
    {
        var m = SparseMatrix.FromRows(3, [[0, 2]]);
        Assert.Equal(2, m.RowLength(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.RowLength(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Contains(-1, 0));
    }
}
