using System.Text;
using DestinyDsl.Runtime.Data.IO;

namespace DestinyDsl.Runtime.Data;

/// <summary>
/// Tells a MovieLens ratings file's layout from its content, not its name (a real <c>u.data</c> renamed to
/// <c>ratings.tsv</c> is still tab-separated): the first rating line (after a csv header, if any) is split by
/// <c>::</c>, a tab or a comma, in that order of precedence.
/// </summary>
internal static class RatingsLayoutDetector
{
    public static RatingsLayout Detect(string path)
    {
        using var reader = new Utf8LineReader(path);
        var headerSkipped = false;
        while (reader.TryReadLine(out var line))
        {
            if (FieldParser.IsBlank(line)) continue;
            if (line.IndexOf("::"u8) >= 0) return RatingsLayout.Dat;
            if (line.IndexOf((byte)'\t') >= 0) return RatingsLayout.UData;
            var trimmed = line.TrimStart(" "u8);
            var startsLikeRating = trimmed.Length > 0 && trimmed[0] is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'+' or (byte)'.';
            if (line.IndexOf((byte)',') >= 0 && (startsLikeRating || !headerSkipped))
            {
                if (startsLikeRating) return RatingsLayout.Csv;
                headerSkipped = true;   // a csv header: the layout is confirmed by the next line
                continue;
            }
            throw new DataFormatException(path, reader.LineNumber,
                $"cannot tell the separator: {FieldParser.Quote(line)} has no '::' (ratings.dat), tab (u.data) or ',' (ratings.csv)");
        }
        if (headerSkipped) return RatingsLayout.Csv;
        throw new DataFormatException(path, null, "no ratings to load: the file is empty");
    }

    /// <summary>How the example says what it found: "tab-separated (the u.data layout)".</summary>
    public static string Describe(RatingsLayout layout) => layout switch
    {
        RatingsLayout.Csv => "comma-separated (the ratings.csv layout)",
        RatingsLayout.UData => "tab-separated (the u.data layout)",
        _ => "'::'-separated (the ratings.dat layout)",
    };
}
