namespace Samples.MovieLens;

/// <summary>What the user asked for on the command line.</summary>
internal sealed record ExampleSettings(FileInfo? Ratings, string Devices, int? Epochs, DirectoryInfo Output, int Users, int Items)
{
    // Sized like MovieLens-1M so ten epochs take about a minute on two cores.
    public const int DefaultUsers = 6040;
    public const int DefaultItems = 3706;
}
