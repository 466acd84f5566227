using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Data;

/// <summary>
/// The layout of a ratings file comes from its content, not its name: the real u.data renamed to ratings.tsv (which
/// used to fail with "expected 4 fields separated by ','") loads, and so does every layout under any name.
/// </summary>
public sealed class RatingsLayoutDetectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("ratings.tsv", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n", RatingsLayout.UData)]
    [InlineData("u.data", "196\t242\t3\t881250949\n", RatingsLayout.UData)]
    [InlineData("data.txt", "1::1193::5::978300760\n1::661::3::978302109\n", RatingsLayout.Dat)]
    [InlineData("ratings.dat", "1,10,4.5,1\n2,20,3.5,1\n", RatingsLayout.Csv)]
    [InlineData("ratings.csv", "userId,movieId,rating,timestamp\n1,10,4.5,1\n", RatingsLayout.Csv)]
    [InlineData("export", "1::10::4::1\n", RatingsLayout.Dat)]
    public void Any_name_any_layout(string name, string content, RatingsLayout expected)
    {
        var path = _dir.File(name, content);
        Assert.Equal(expected, MovieLensRatings.DetectLayout(path));
        var data = MovieLensRatings.Load(path);
        Assert.Equal(content.Split('\n').Count(l => l.Length > 0 && char.IsDigit(l[0])), data.Matrix.NonZeroCount);
    }

    [Fact]
    public void The_renamed_u_data_loads_like_the_original()
    {
        const string content = "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n";
        var renamed = MovieLensRatings.Load(_dir.File("ratings.tsv", content));
        var original = MovieLensRatings.LoadUData(_dir.File("u.data", content));
        Assert.Equal(original.Matrix.RowOffsets, renamed.Matrix.RowOffsets);
        Assert.Equal(original.Matrix.ColumnIndices, renamed.Matrix.ColumnIndices);
    }

    [Fact]
    public void A_line_with_no_known_separator_is_an_error_naming_it()
    {
        var path = _dir.File("ratings.txt", "\n1;10;4;1\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.DetectLayout(path));
        Assert.Equal(2, e.Line);
        Assert.Contains("cannot tell the separator", e.Message);
    }

    [Fact]
    public void An_empty_file_says_so()
    {
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.DetectLayout(_dir.File("ratings.csv", "\n\n")));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Describe_names_the_layout() => Assert.Equal("tab-separated (the u.data layout)", MovieLensRatings.Describe(RatingsLayout.UData));

    public void Dispose() => _dir.Dispose();
}
