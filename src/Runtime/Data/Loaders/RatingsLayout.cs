namespace DestinyDsl.Runtime.Data;

/// <summary>The three MovieLens ratings file layouts; they differ only in separator and header.</summary>
public enum RatingsLayout
{
    /// <summary>ratings.csv: comma-separated with an optional header line.</summary>
    Csv,

    /// <summary>u.data: tab-separated, no header.</summary>
    UData,

    /// <summary>ratings.dat: "::"-separated, no header.</summary>
    Dat,
}
