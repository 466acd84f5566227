namespace DestinyDsl.Runtime.Data;

/// <summary>
/// Loads the MovieLens ratings files into a users × movies interaction matrix. Users and movies are numbered in
/// ascending order of their numeric ids (so row 0 is the smallest user id, and the result does not depend on the
/// order of the lines). Every malformed line is a <see cref="DataFormatException"/> with <c>file:line: reason</c>;
/// nothing is skipped. A (user, movie) pair rated twice is an error naming both lines.
/// </summary>
/// <remarks>
/// Named <c>MovieLensRatings</c>, not <c>MovieLens</c>: code inside a namespace such as <c>Samples.MovieLens</c>
/// would resolve a bare <c>MovieLens</c> to its own namespace and never see this class.
/// </remarks>
public static class MovieLensRatings
{
    /// <summary>
    /// Any of the three layouts, told from the file's content (<see cref="DetectLayout"/>), not its name.
    /// </summary>
    public static InteractionData Load(string path, MovieLensOptions? options = null)
        => RatingsFileLoader.Load(path, DetectLayout(path), options ?? new MovieLensOptions());

    /// <summary>
    /// The layout of a ratings file from its first rating line: <c>::</c> → ratings.dat, a tab → u.data, a comma →
    /// ratings.csv (a header line first is allowed). Anything else is a <see cref="DataFormatException"/> naming the line.
    /// </summary>
    public static RatingsLayout DetectLayout(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return RatingsLayoutDetector.Detect(path);
    }

    /// <summary>A layout in words, e.g. "tab-separated (the u.data layout)".</summary>
    public static string Describe(RatingsLayout layout) => RatingsLayoutDetector.Describe(layout);

    /// <summary>
    /// ml-latest / ml-20m / ml-25m <c>ratings.csv</c>: <c>userId,movieId,rating,timestamp</c>, with that header line
    /// (names compared case-insensitively, spaces and quotes around them ignored) or without a header.
    /// </summary>
    public static InteractionData LoadRatingsCsv(string path, MovieLensOptions? options = null)
        => RatingsFileLoader.Load(path, RatingsLayout.Csv, options ?? new MovieLensOptions());

    /// <summary>ml-100k <c>u.data</c>: tab-separated <c>user item rating timestamp</c>, no header.</summary>
    public static InteractionData LoadUData(string path, MovieLensOptions? options = null)
        => RatingsFileLoader.Load(path, RatingsLayout.UData, options ?? new MovieLensOptions());

    /// <summary>ml-1m <c>ratings.dat</c>: <c>UserID::MovieID::Rating::Timestamp</c>, no header.</summary>
    public static InteractionData LoadRatingsDat(string path, MovieLensOptions? options = null)
        => RatingsFileLoader.Load(path, RatingsLayout.Dat, options ?? new MovieLensOptions());
}
