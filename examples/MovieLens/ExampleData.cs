using DestinyDsl.Runtime.Data;

namespace Samples.MovieLens;

/// <summary>The interactions the example trains on, split into training input and held-out items per user.</summary>
internal sealed record ExampleData(InteractionData All, SparseMatrix Train, SparseMatrix HeldOut, string Source)
{
    // Hold out a fifth of each user's items for evaluation (users with fewer than 5 items keep all of them).
    private const double HeldOutFraction = 0.2;
    private const int MinItemsToSplit = 5;
    private const ulong SplitSeed = 2016;

    public static ExampleData Load(ExampleSettings settings)
    {
        InteractionData all;
        string source;
        if (settings.Ratings is { } file)
        {
            // The layout comes from the content, not the name: a u.data renamed to ratings.tsv still loads.
            var layout = MovieLensRatings.DetectLayout(file.FullName);
            all = MovieLensRatings.Load(file.FullName);
            source = $"{file.FullName}, {MovieLensRatings.Describe(layout)} detected from its content";
        }
        else
        {
            all = SyntheticInteractions.Generate(new SyntheticOptions { Users = settings.Users, Items = settings.Items });
            source = $"synthetic MovieLens-like data ({settings.Users} users × {settings.Items} items)";
        }

        var (train, heldOut) = HoldOutSplit.Split(all.Matrix, HeldOutFraction, SplitSeed, MinItemsToSplit);
        return new ExampleData(all, train, heldOut, source);
    }
}
