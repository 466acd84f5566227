using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Data;

public sealed class DsstneTextTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void NativeFormatWithTimestampsLoadsAsIndicatorsInFirstAppearanceOrder()
    {
        // The MovieLens sample's converted file: user<TAB>movie,timestamp:movie,timestamp…
        var path = _dir.File("ml.txt", "u7\t50,964982703:3,964981247\nu2\t3,964982224\n");
        var data = DsstneText.Load(path);
        Assert.Equal(["u7", "u2"], data.Users.ToArray());
        Assert.Equal(["50", "3"], data.Items.ToArray());
        Assert.True(data.Matrix.IsIndicator);
        MatrixAssert.Equal(new float[,] { { 1, 1 }, { 0, 1 } }, data.Matrix);
    }

    [Fact]
    public void KeepValuesStoresThemAndAPointWithoutValueCountsAsOne()
    {
        var path = _dir.File("analog.txt", "s1\ta,0.25:b:c,-3e2\n");
        var data = DsstneText.Load(path, new DsstneTextOptions { KeepValues = true });
        Assert.Equal(0.25f, data.Matrix.ValueAt(0, data.Items.IndexOf("a")));
        Assert.Equal(1f, data.Matrix.ValueAt(0, data.Items.IndexOf("b")));
        Assert.Equal(-300f, data.Matrix.ValueAt(0, data.Items.IndexOf("c")));
    }

    [Fact]
    public void CommaSeparatedVariant()
    {
        var path = _dir.File("variant.txt", "s1\ta:2,b\r\ns2\tb:0.5\r\n");
        var data = DsstneText.Load(path, new DsstneTextOptions { Format = DsstneTextFormat.CommaSeparated, KeepValues = true });
        MatrixAssert.Equal(new float[,] { { 2, 1 }, { 0, 0.5f } }, data.Matrix);
    }

    [Fact]
    public void ASampleWithNoDataPointsIsAnEmptyRow()
    {
        var path = _dir.File("sparse.txt", "s1\tx\ns2\t\n");
        var data = DsstneText.Load(path);
        Assert.Equal(2, data.Matrix.Rows);
        Assert.Equal(0, data.Matrix.RowLength(1));
    }

    [Theory]
    [InlineData(DsstneTextFormat.Native, false)]
    [InlineData(DsstneTextFormat.Native, true)]
    [InlineData(DsstneTextFormat.CommaSeparated, false)]
    [InlineData(DsstneTextFormat.CommaSeparated, true)]
    public void WriteThenLoadRoundTrips(DsstneTextFormat format, bool withValues)
    {
        var (matrix, _) = MatrixAssert.Random(30, 12, 0.4, withValues, seed: 11);
        var values = matrix.Values?.Select((v, i) => v / 3f + i * 1e-3f).ToArray();   // values that need all their digits
        matrix = new SparseMatrix(matrix.Rows, matrix.Columns, matrix.RowOffsets, matrix.ColumnIndices, values);
        // Every column must occur for the column ids to survive a round trip (absent features are not written).
        var (full, _) = MatrixAssert.Random(1, 12, 1.1, withValues, seed: 1);
        var rows = new SparseMatrixBuilder(12, withValues);
        for (var r = 0; r < matrix.Rows; r++)
        {
            if (withValues) rows.AddRow(matrix.RowIndices(r), matrix.RowValues(r));
            else rows.AddRow(matrix.RowIndices(r));
        }
        if (withValues) rows.AddRow(full.RowIndices(0), full.RowValues(0));
        else rows.AddRow(full.RowIndices(0));
        var all = rows.Build();
        var users = IndexMap.Numbered("user-", all.Rows);
        var items = new IndexMap(Enumerable.Range(0, 12).Select(i => $"item {i}"));   // spaces are allowed in ids
        var original = new InteractionData(all, users, items);
        var options = new DsstneTextOptions { Format = format, KeepValues = withValues };

        var path = _dir.Combine("round.txt");
        DsstneText.Write(path, original, options);
        var loaded = DsstneText.Load(path, options);

        Assert.Equal(users.ToArray(), loaded.Users.ToArray());
        Assert.Equal(all.NonZeroCount, loaded.Matrix.NonZeroCount);
        for (var r = 0; r < all.Rows; r++)
        {
            for (var c = 0; c < 12; c++)
            {
                Assert.Equal(all.ValueAt(r, c), loaded.Matrix.ValueAt(r, loaded.Items.IndexOf(items.ExternalId(c))));
            }
        }
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Theory]
    [InlineData("s1 a:b", "missing tab between the sample label and its data points")]
    [InlineData("\ta:b", "the sample label before the tab is empty")]
    [InlineData("s1\ta:b:a", "sample 's1': feature 'a' appears twice")]
    [InlineData("s0\tq", "sample 's0' appears again (first at line 1)")]
    [InlineData("s1\ta\tb", "a second tab")]
    public void MalformedLinesNameFileLineAndReason(string badLine, string reason)
    {
        var path = _dir.File("bad.txt", $"s0\tz\n{badLine}\n");
        var e = Assert.Throws<DataFormatException>(() => DsstneText.Load(path));
        Assert.Equal(2, e.Line);
        Assert.Null(e.Column);
        Assert.StartsWith($"{path}:2: ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    /// <summary>A malformed data point or value is reported at its character column (one-based), in both layouts.</summary>
    [Theory]
    [InlineData("s1\ta::b", 6, "sample 's1': empty data point (two ':' in a row, or one at the start or end)", DsstneTextFormat.Native)]
    [InlineData("s1\ta:b:", 8, "empty data point", DsstneTextFormat.Native)]
    [InlineData("s1\t,5", 4, "data point ',5' has no feature before ','", DsstneTextFormat.Native)]
    [InlineData("s1\ta,x1", 6, "value 'x1' of feature 'a' is not a finite number", DsstneTextFormat.Native)]
    [InlineData("s1\ta,Infinity", 6, "value 'Infinity' of feature 'a' is not a finite number", DsstneTextFormat.Native)]
    [InlineData("s1\ta,1,2", 7, "data point 'a,1,2' has more than one value", DsstneTextFormat.Native)]
    [InlineData("s1\ta:4,bb:x", 11, "value 'x' of feature 'bb' is not a finite number", DsstneTextFormat.CommaSeparated)]
    [InlineData("s1\ta:4,b:1:2", 11, "data point 'b:1:2' has more than one value", DsstneTextFormat.CommaSeparated)]
    [InlineData("s1\ta:4,,b:2", 8, "empty data point", DsstneTextFormat.CommaSeparated)]
    [InlineData("s1\ta:4,:2", 8, "data point ':2' has no feature before ':'", DsstneTextFormat.CommaSeparated)]
    [InlineData("s1\ta:NaN", 6, "value 'NaN' of feature 'a' is not a finite number", DsstneTextFormat.CommaSeparated)]
    public void MalformedPointsNameFileLineColumnAndReason(string badLine, int column, string reason, DsstneTextFormat format)
    {
        var path = _dir.File("bad.txt", $"s0\tz\n{badLine}\n");
        var e = Assert.Throws<DataFormatException>(() => DsstneText.Load(path, new DsstneTextOptions { Format = format, KeepValues = true }));
        Assert.Equal(2, e.Line);
        Assert.Equal(column, e.Column);
        Assert.StartsWith($"{path}:2:{column}: ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void InvalidUtf8IsReported()
    {
        var path = _dir.Bytes("bad.txt", [(byte)'s', (byte)'\t', 0xFF, 0xFE, (byte)'\n']);
        var e = Assert.Throws<DataFormatException>(() => DsstneText.Load(path));
        Assert.Equal($"{path}:1: the line is not valid UTF-8", e.Message);
    }

    [Fact]
    public void EmptyFilesAndFilesWithoutFeaturesAreRejected()
    {
        var empty = _dir.File("empty.txt", "");
        Assert.Equal($"{empty}: no samples: the file is empty", Assert.Throws<DataFormatException>(() => DsstneText.Load(empty)).Message);
        var noFeatures = _dir.File("none.txt", "s1\t\ns2\t\n");
        Assert.Contains("none of the 2 samples has a data point", Assert.Throws<DataFormatException>(() => DsstneText.Load(noFeatures)).Message);
    }

    [Fact]
    public void ABlankLineInsideTheDataIsAnError()
    {
        var path = _dir.File("gap.txt", "s1\ta\n\ns2\tb\n");
        var e = Assert.Throws<DataFormatException>(() => DsstneText.Load(path));
        Assert.Equal(2, e.Line);
        Assert.Contains("blank line", e.Message);
    }

    [Theory]
    [InlineData("bad:id", "contains ':'")]
    [InlineData("bad,id", "contains ','")]
    [InlineData("tab\there", "contains a tab")]
    [InlineData(" ", "empty or blank")]
    public void WriteRejectsIdsTheFormatCannotHold(string item, string reason)
    {
        var data = new InteractionData(SparseMatrix.FromRows(1, [[0]]), new IndexMap(["s"]), new IndexMap([item]));
        var path = _dir.Combine("out.txt");
        var e = Assert.Throws<ArgumentException>(() => DsstneText.Write(path, data));
        Assert.Contains(reason, e.Message);
        Assert.False(File.Exists(path));
    }
}
