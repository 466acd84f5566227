namespace Samples.MovieLens;

/// <summary>What the user asked for on the command line.</summary>
/// <param name="RatingsAsValues">Store each rating (1–5) as the matrix value instead of 1: the input layer sees the ratings and the targets carry them.</param>
/// <param name="Tune">--tune N: tune the .dnet file's ranges with N trials instead of training the defaults.</param>
/// <param name="TrialsAtOnce">With --tune: trials trained at the same time.</param>
internal sealed record ExampleSettings(FileInfo? Ratings, string Devices, int? Epochs, DirectoryInfo Output, int Users, int Items, bool RatingsAsValues = false, int? Tune = null, int TrialsAtOnce = 1)
{
    // Sized like MovieLens-1M so ten epochs take about a minute on two cores.
    public const int DefaultUsers = 6040;
    public const int DefaultItems = 3706;
}
