using DestinyDsl.Runtime.Data;

namespace Samples.MovieLens;

/// <summary>
/// The interactions the example trains on, split into training input and held-out items per user (the test split),
/// and the training rows split again by user: <see cref="Fit"/> trains the model, <see cref="Validation"/> (a tenth
/// of the users, never trained on) gives the per-epoch validation loss that early stopping watches, and — with a fifth
/// of each validation user's items held out again (<see cref="ValidationInput"/>, <see cref="ValidationHeldOut"/>) —
/// the per-epoch validation precision@10. The test split's held-out items are never seen by training or validation.
/// </summary>
internal sealed record ExampleData(InteractionData All, SparseMatrix Train, SparseMatrix HeldOut, SparseMatrix Fit, SparseMatrix Validation,
    SparseMatrix ValidationInput, SparseMatrix ValidationHeldOut, string Source)
{
    private const double ValidationUsers = 0.1;
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
            all = MovieLensRatings.Load(file.FullName, new MovieLensOptions { KeepRatings = settings.RatingsAsValues });
            source = $"{file.FullName}, {MovieLensRatings.Describe(layout)} detected from its content{(settings.RatingsAsValues ? ", ratings as values" : "")}";
        }
        else
        {
            if (settings.RatingsAsValues) throw new ArgumentException("--ratings-as-values needs --ratings: the synthetic data has no ratings, only interactions.");
            all = SyntheticInteractions.Generate(new SyntheticOptions { Users = settings.Users, Items = settings.Items });
            source = $"synthetic MovieLens-like data ({settings.Users} users × {settings.Items} items)";
        }

        var (train, heldOut) = HoldOutSplit.Split(all.Matrix, HeldOutFraction, SplitSeed, MinItemsToSplit);
        var (fit, validation) = SplitUsers(train);
        // The test protocol one level down, on the validation users: their visible items in, a fifth of them to find.
        var (validationInput, validationHeldOut) = HoldOutSplit.Split(validation, HeldOutFraction, SplitSeed + 1, MinItemsToSplit);
        return new ExampleData(all, train, heldOut, fit, validation, validationInput, validationHeldOut, source);
    }

    /// <summary>Every tenth user (by a fixed shuffle) validates; the rest train. Tiny data keeps one validation user.</summary>
    private static (SparseMatrix Fit, SparseMatrix Validation) SplitUsers(SparseMatrix train)
    {
        var order = Enumerable.Range(0, train.Rows).OrderBy(r => ((ulong)r * 0x9E3779B97F4A7C15UL) ^ SplitSeed).ToArray();
        var count = Math.Clamp((int)Math.Round(train.Rows * ValidationUsers), 1, Math.Max(1, train.Rows - 1));
        if (train.Rows < 2) return (train, train);
        var validation = order.Take(count).Order().ToArray();
        var fit = order.Skip(count).Order().ToArray();
        return (train.SelectRows(fit), train.SelectRows(validation));
    }
}
