namespace DestinyDsl.Runtime.Data;

/// <summary>How a MovieLens ratings file becomes an interaction matrix.</summary>
public sealed record MovieLensOptions
{
    /// <summary>
    /// Keep only ratings ≥ this value (null, the default, keeps every rating, as DSSTNE's MovieLens sample does).
    /// Users and movies whose ratings are all below it get no row or column.
    /// </summary>
    public double? MinRating { get; init; }

    /// <summary>Store the ratings as matrix values; by default the matrix holds indicators (every rating counts as 1).</summary>
    public bool KeepRatings { get; init; }
}
