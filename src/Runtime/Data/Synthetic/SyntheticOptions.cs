namespace DestinyDsl.Runtime.Data;

/// <summary>
/// Parameters of <see cref="SyntheticInteractions"/>. The defaults give data shaped like MovieLens-1M (6040 users,
/// 3706 items, about a million interactions, at least 20 per user, median about 96) with topic structure a
/// recommender can learn. See docs/data.md for the model.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>Number of users (rows).</summary>
    public int Users { get; init; } = 6040;

    /// <summary>Number of items (columns).</summary>
    public int Items { get; init; } = 3706;

    /// <summary>Seed; the same options give the same data whatever the number of threads.</summary>
    public ulong Seed { get; init; } = 20161;

    /// <summary>Number of latent topics (genres) items belong to and users like.</summary>
    public int Topics { get; init; } = 18;

    /// <summary>Fewest items per user (MovieLens keeps users with at least 20 ratings).</summary>
    public int MinHistory { get; init; } = 20;

    /// <summary>Median items per user.</summary>
    public int MedianHistory { get; init; } = 96;

    /// <summary>Spread σ of the log-normal part of the history length: n = MinHistory + exp(μ + σ·Z).</summary>
    public double HistorySpread { get; init; } = 1.15;

    /// <summary>Largest history as a share of the items (MovieLens-1M's heaviest user rated 62 % of the movies).</summary>
    public double MaxHistoryFraction { get; init; } = 0.6;

    /// <summary>Exponent s of the item popularity weights w = 1 / (rank + PopularityOffset)^s (Zipf-like).</summary>
    public double PopularityExponent { get; init; } = 0.8;

    /// <summary>Offset of the popularity ranks; flattens the very head of the curve as in real catalogues.</summary>
    public double PopularityOffset { get; init; } = 30;

    /// <summary>
    /// Exponential cut-off κ of the popularity tail: weights are multiplied by exp(−κ · rank / Items), so the least
    /// popular items get the handful of interactions they get in real catalogues instead of a pure power law's floor.
    /// </summary>
    public double PopularityTailDecay { get; init; } = 4;

    /// <summary>Average share of a user's items drawn from the topics they like (the rest follows global popularity).</summary>
    public double TopicShare { get; init; } = 0.7;

    /// <summary>Average number of topics a user likes (at least one).</summary>
    public double TopicsPerUser { get; init; } = 2;

    /// <summary>Probability that an item belongs to a second topic (with half the affinity of its first).</summary>
    public double SecondTopicProbability { get; init; } = 0.4;
}
