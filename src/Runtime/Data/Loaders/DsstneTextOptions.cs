namespace DestinyDsl.Runtime.Data;

/// <summary>How <see cref="DsstneText"/> reads and writes.</summary>
public sealed record DsstneTextOptions
{
    /// <summary>The layout of the data points (default: DSSTNE's own).</summary>
    public DsstneTextFormat Format { get; init; } = DsstneTextFormat.Native;

    /// <summary>
    /// Load values into the matrix (DSSTNE's <c>-t analog</c>); a data point without a value then counts as 1.
    /// By default the matrix holds indicators (<c>-t indicator</c>): values in the file are still checked to be
    /// numbers, then dropped.
    /// </summary>
    public bool KeepValues { get; init; }
}
