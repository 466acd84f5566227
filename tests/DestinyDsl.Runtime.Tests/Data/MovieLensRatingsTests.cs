using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Data;

public sealed class MovieLensRatingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void RatingsCsvWithHeaderBecomesAnIndicatorMatrixInIdOrder()
    {
        var path = _dir.File("ratings.csv", "userId,movieId,rating,timestamp\n10,300,4.0,964982703\n2,50,0.5,964981247\n10,7,5,964982224\n");
        var data = MovieLensRatings.LoadRatingsCsv(path);

        Assert.Equal(["2", "10"], data.Users.ToArray());          // numeric order, not file order
        Assert.Equal(["7", "50", "300"], data.Items.ToArray());
        Assert.True(data.Matrix.IsIndicator);
        MatrixAssert.Equal(new float[,] { { 0, 1, 0 }, { 1, 0, 1 } }, data.Matrix);
    }

    [Fact]
    public void HugeIdsWork()
    {
        var path = _dir.File("ratings.csv", "2147483647,16777216,4,0\n16777215,5,3,0\n2147483647,5,1,0\n");
        var data = MovieLensRatings.LoadRatingsCsv(path);
        Assert.Equal(["16777215", "2147483647"], data.Users.ToArray());
        Assert.Equal(["5", "16777216"], data.Items.ToArray());
        MatrixAssert.Equal(new float[,] { { 1, 0 }, { 1, 1 } }, data.Matrix);
    }

    [Fact]
    public void KeepRatingsAndMinRatingOptions()
    {
        var path = _dir.File("ratings.csv", "1,10,4.5,1\n1,20,2,1\n2,20,3.5,1\n3,30,1,1\n");
        var kept = MovieLensRatings.LoadRatingsCsv(path, new MovieLensOptions { KeepRatings = true });
        Assert.Equal(4.5f, kept.Matrix.ValueAt(kept.Users.IndexOf("1"), kept.Items.IndexOf("10")));
        Assert.Equal(2f, kept.Matrix.ValueAt(kept.Users.IndexOf("1"), kept.Items.IndexOf("20")));

        var liked = MovieLensRatings.LoadRatingsCsv(path, new MovieLensOptions { MinRating = 3.5 });
        Assert.Equal(["1", "2"], liked.Users.ToArray());           // user 3 only rated below 3.5
        Assert.Equal(["10", "20"], liked.Items.ToArray());
        Assert.Equal(2, liked.Matrix.NonZeroCount);
        Assert.True(liked.Matrix.IsIndicator);
    }

    [Theory]
    [InlineData("userId,movieId,rating,timestamp")]
    [InlineData("UserId, MovieId, Rating, Timestamp")]
    [InlineData("\"userId\",\"movieId\",\"rating\",\"timestamp\"")]
    [InlineData("\uFEFFuserId,movieId,rating,timestamp")]
    public void HeaderVariantsAreAccepted(string header)
    {
        var path = _dir.File("ratings.csv", $"{header}\r\n1,1,3,0\r\n");
        Assert.Equal(1, MovieLensRatings.LoadRatingsCsv(path).Matrix.NonZeroCount);
    }

    [Fact]
    public void CrlfAndAMissingFinalNewlineAndTrailingBlankLinesAreFine()
    {
        var path = _dir.File("ratings.csv", "1,1,3,0\r\n1,2,3,0\r\n\r\n\n");
        Assert.Equal(2, MovieLensRatings.LoadRatingsCsv(path).Matrix.NonZeroCount);
        path = _dir.File("last.csv", "1,1,3,0\n1,2,3,0");
        Assert.Equal(2, MovieLensRatings.LoadRatingsCsv(path).Matrix.NonZeroCount);
    }

    [Fact]
    public void UDataIsTabSeparated()
    {
        var path = _dir.File("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t1\t878887116\n");
        var data = MovieLensRatings.LoadUData(path);
        Assert.Equal(["186", "196"], data.Users.ToArray());
        Assert.Equal(["242", "302"], data.Items.ToArray());
        Assert.Equal(3, data.Matrix.NonZeroCount);
    }

    [Fact]
    public void RatingsDatUsesDoubleColons()
    {
        var path = _dir.File("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n");
        var data = MovieLensRatings.LoadRatingsDat(path, new MovieLensOptions { KeepRatings = true });
        Assert.Equal(["661", "1193"], data.Items.ToArray());
        Assert.Equal([3f, 5f], data.Matrix.RowValues(0).ToArray());
    }

    [Theory]
    [InlineData("1,abc,4,0", "movie id 'abc' is not an integer")]
    [InlineData("x,1,4,0", "user id 'x' is not an integer")]
    [InlineData("1,2.5,4,0", "movie id '2.5' is not an integer")]
    [InlineData("-3,1,4,0", "user id -3 is negative")]
    [InlineData("1,99999999999,4,0", "movie id 99999999999 is out of range")]
    [InlineData("1,999999999999999999999,4,0", "movie id '999999999999999999999' is out of range")]
    [InlineData("1,1,four,0", "rating 'four' is not a number")]
    [InlineData("1,1,NaN,0", "rating 'NaN' is not a finite number")]
    [InlineData("1,1,7,0", "rating 7 is outside MovieLens's scale [0.5, 5]")]
    [InlineData("1,1,0,0", "rating 0 is outside MovieLens's scale")]
    [InlineData("1,1,4,1.5", "timestamp '1.5' is not an integer")]
    [InlineData("1,1,4,-5", "timestamp -5 is negative")]
    [InlineData("1,1,4", "expected 4 fields (userId,movieId,rating,timestamp) separated by ',', found 3")]
    [InlineData("1,1,4,0,9", "expected 4 fields (userId,movieId,rating,timestamp) separated by ',', found more than 4")]
    [InlineData("1,,4,0", "movie id is empty")]
    [InlineData("1\t1\t4\t0", "found 1")]
    public void MalformedCsvLinesNameFileLineAndReason(string badLine, string reason)
    {
        var path = _dir.File("ratings.csv", $"userId,movieId,rating,timestamp\n1,1,4,0\n{badLine}\n2,2,4,0\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.LoadRatingsCsv(path));
        Assert.Equal(path, e.Path);
        Assert.Equal(3, e.Line);
        Assert.StartsWith($"{path}:3: ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("196\t242\t3", "expected 4 fields (user, item, rating, timestamp) separated by tabs, found 3")]
    [InlineData("196,242,3,881250949", "found 1")]
    [InlineData("196\t242\t3\t88125x", "timestamp '88125x' is not an integer")]
    public void MalformedUDataLines(string badLine, string reason)
    {
        var path = _dir.File("u.data", $"1\t1\t4\t0\n{badLine}\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.LoadUData(path));
        Assert.Equal(2, e.Line);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void MalformedDatLine()
    {
        var path = _dir.File("ratings.dat", "1::1193::5::978300760\n1:661:3:978302109\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.LoadRatingsDat(path));
        Assert.Equal($"{path}:2: expected 4 fields (UserID::MovieID::Rating::Timestamp) separated by '::', found 1", e.Message);
    }

    [Fact]
    public void UDataHasNoHeader()
    {
        var path = _dir.File("u.data", "user\titem\trating\ttimestamp\n1\t1\t4\t0\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.LoadUData(path));
        Assert.Equal(1, e.Line);
        Assert.Contains("user id 'user' is not an integer", e.Message);
    }

    [Fact]
    public void AWrongHeaderIsRejected()
    {
        var path = _dir.File("ratings.csv", "user,movie,stars,time\n1,1,4,0\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.LoadRatingsCsv(path));
        Assert.Equal(1, e.Line);
        Assert.Contains("header 'user,movie,stars,time' is not 'userId,movieId,rating,timestamp'", e.Message);
    }

    [Fact]
    public void AHeaderAfterTheFirstLineIsAMalformedLine()
    {
        var path = _dir.File("ratings.csv", "1,1,4,0\nuserId,movieId,rating,timestamp\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.LoadRatingsCsv(path));
        Assert.Equal(2, e.Line);
        Assert.Contains("user id 'userId' is not an integer", e.Message);
    }

    [Fact]
    public void ABlankLineInsideTheDataIsReportedAtTheBlankLine()
    {
        var path = _dir.File("ratings.csv", "1,1,4,0\n1,2,4,0\n   \n1,3,4,0\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.LoadRatingsCsv(path));
        Assert.Equal(3, e.Line);
        Assert.Contains("blank line inside the data", e.Message);
    }

    [Theory]
    [InlineData("", "no ratings to load: the file is empty")]
    [InlineData("\n\n", "no ratings to load: the file is empty")]
    [InlineData("userId,movieId,rating,timestamp\n", "no ratings to load: no ratings after the header")]
    public void EmptyFilesAreRejected(string content, string reason)
    {
        var path = _dir.File("ratings.csv", content);
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.LoadRatingsCsv(path));
        Assert.Null(e.Line);
        Assert.Equal($"{path}: {reason}", e.Message);
    }

    [Fact]
    public void AllRatingsBelowMinRatingIsAnError()
    {
        var path = _dir.File("ratings.csv", "1,1,2,0\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.LoadRatingsCsv(path, new MovieLensOptions { MinRating = 4 }));
        Assert.Contains("none of its 1 ratings is ≥ MinRating 4", e.Message);
    }

    [Fact]
    public void ADuplicatePairNamesBothLines()
    {
        var path = _dir.File("u.data", "1\t5\t4\t0\n2\t5\t4\t0\n3\t1\t4\t0\n1\t5\t2\t9\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLensRatings.LoadUData(path));
        Assert.Equal(4, e.Line);
        Assert.Contains("user 1 rated movie 5 again (first rating at line 1)", e.Message);
    }

    [Fact]
    public void AMissingFileIsFileNotFound()
        => Assert.Throws<FileNotFoundException>(() => MovieLensRatings.LoadRatingsCsv(_dir.Combine("nope.csv")));

    [Fact]
    public void ALongFileStreamsAcrossBufferBoundaries()
    {
        // ~1.4 MB: many refills of the 64 KiB line buffer, lines split across them.
        var text = new System.Text.StringBuilder("userId,movieId,rating,timestamp\n");
        for (var u = 1; u <= 500; u++)
        {
            for (var m = 1; m <= 120; m++) text.Append(u).Append(',').Append((m * 7) + (u % 3)).Append(",3.5,").Append(1_000_000_000 + m).Append('\n');
        }
        var path = _dir.File("ratings.csv", text.ToString());
        var data = MovieLensRatings.LoadRatingsCsv(path, new MovieLensOptions { KeepRatings = true });
        Assert.Equal(500, data.Matrix.Rows);
        Assert.Equal(60_000, data.Matrix.NonZeroCount);
        Assert.All(data.Matrix.Values!, v => Assert.Equal(3.5f, v));
        MatrixAssert.IsValidCsr(data.Matrix);
    }
}
