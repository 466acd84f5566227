using System.Globalization;
using System.Text;
using DestinyDsl.Runtime.Data.IO;

namespace DestinyDsl.Runtime.Data;

/// <summary>
/// The streaming core of the MovieLens loaders. One pass parses every line straight from UTF-8 bytes into
/// coordinate lists (two ints, plus a float when ratings are kept, per rating); a counting sort then builds the
/// CSR matrix. Peak memory for ml-25m is about three times the final matrix, not gigabytes of strings.
/// </summary>
internal static class RatingsFileLoader
{
    private const double LowestRating = 0.5;
    private const double HighestRating = 5;

    private delegate void RatingSink(long line, int user, int item, double rating);

    public static InteractionData Load(string path, RatingsLayout layout, MovieLensOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinRating is { } min && !double.IsFinite(min)) throw new ArgumentException($"MinRating {min} is not a finite number.", nameof(options));

        var users = new IdNumbering();
        var items = new IdNumbering();
        var rowOf = new ChunkedList<int>();
        var columnOf = new ChunkedList<int>();
        var values = options.KeepRatings ? new ChunkedList<float>() : null;
        long read = 0;

        var sawHeader = ReadRatings(path, layout, (_, user, item, rating) =>
        {
            read++;
            if (options.MinRating is { } minRating && rating < minRating) return;
            rowOf.Add(users.Provisional(user));
            columnOf.Add(items.Provisional(item));
            values?.Add((float)rating);
        });

        if (rowOf.Count == 0)
        {
            var why = read > 0 ? $"none of its {read} ratings is ≥ MinRating {options.MinRating?.ToString(CultureInfo.InvariantCulture)}"
                : sawHeader ? "no ratings after the header" : "the file is empty";
            throw new DataFormatException(path, null, $"no ratings to load: {why}");
        }

        var matrix = BuildMatrix(users, items, rowOf, columnOf, values, out var duplicate);
        if (duplicate is var (row, column))
        {
            ThrowDuplicate(path, layout, options, users.RawIdOfSorted(row), items.RawIdOfSorted(column));
        }
        return new InteractionData(matrix, users.ToIndexMap(), items.ToIndexMap());
    }

    private static SparseMatrix BuildMatrix(IdNumbering users, IdNumbering items, ChunkedList<int> rowOf, ChunkedList<int> columnOf, ChunkedList<float>? values, out (int Row, int Column)? duplicate)
    {
        var rowRank = users.SortedRanks();
        var columnRank = items.SortedRanks();
        var rows = rowRank.Length;
        var count = rowOf.Count;

        var offsets = new long[rows + 1];
        for (long i = 0; i < count; i++) offsets[rowRank[rowOf[i]] + 1]++;
        for (var r = 0; r < rows; r++) offsets[r + 1] += offsets[r];

        var next = offsets.AsSpan(0, rows).ToArray();
        var columns = new int[count];
        var stored = values is null ? null : new float[count];
        for (long i = 0; i < count; i++)
        {
            var at = next[rowRank[rowOf[i]]]++;
            columns[at] = columnRank[columnOf[i]];
            if (stored is not null) stored[at] = values![i];
        }

        duplicate = null;
        for (var r = 0; r < rows; r++)
        {
            var start = (int)offsets[r];
            var length = (int)(offsets[r + 1] - offsets[r]);
            var rowColumns = columns.AsSpan(start, length);
            if (stored is null) rowColumns.Sort();
            else rowColumns.Sort(stored.AsSpan(start, length));
            for (var i = 1; i < length && duplicate is null; i++)
            {
                if (rowColumns[i] == rowColumns[i - 1]) duplicate = (r, rowColumns[i]);
            }
        }
        return SparseMatrix.CreateTrusted(rows, items.Count, offsets, columns, stored);
    }

    // Rare path: a second pass finds the two lines of the first duplicated pair so the message can name both.
    private static void ThrowDuplicate(string path, RatingsLayout layout, MovieLensOptions options, int user, int item)
    {
        long? first = null;
        ReadRatings(path, layout, (line, u, i, rating) =>
        {
            if (u != user || i != item || (options.MinRating is { } min && rating < min)) return;
            if (first is null)
            {
                first = line;
                return;
            }
            throw new DataFormatException(path, line, $"user {user} rated movie {item} again (first rating at line {first}); each (user, movie) pair may appear once");
        });
        throw new InvalidOperationException($"{path}: internal error: duplicate of user {user}, movie {item} not found on the second pass.");
    }

    /// <summary>Parses every line, calling <paramref name="sink"/> per rating; returns whether a header was seen.</summary>
    private static bool ReadRatings(string path, RatingsLayout layout, RatingSink sink)
    {
        using var reader = new Utf8LineReader(path);
        var blanks = new BlankLineGuard();
        var first = true;
        var sawHeader = false;
        while (reader.TryReadLine(out var line))
        {
            if (FieldParser.IsBlank(line))
            {
                blanks.Blank(reader.LineNumber);
                continue;
            }
            blanks.Data(path);
            if (first)
            {
                first = false;
                if (layout == RatingsLayout.Csv && LooksLikeHeader(line))
                {
                    CheckHeader(path, reader.LineNumber, line);
                    sawHeader = true;
                    continue;
                }
            }

            var error = ParseLine(line, layout, out var user, out var item, out var rating);
            if (error is not null) throw new DataFormatException(path, reader.LineNumber, error);
            sink(reader.LineNumber, user, item, rating);
        }
        return sawHeader;
    }

    private static string? ParseLine(ReadOnlySpan<byte> line, RatingsLayout layout, out int user, out int item, out double rating)
    {
        user = item = 0;
        rating = 0;
        var separator = Separator(layout);
        Span<Range> fields = stackalloc Range[5];
        var n = Split(line, separator, fields);
        if (n != 4)
        {
            var found = n > 4 ? "more than 4" : $"{n}";
            return $"expected 4 fields ({FieldNames(layout)}) separated by {Describe(separator)}, found {found}";
        }

        return FieldParser.ParseId(line[fields[0]], "user id", out user)
            ?? FieldParser.ParseId(line[fields[1]], "movie id", out item)
            ?? ParseRating(line[fields[2]], out rating)
            ?? ParseTimestamp(line[fields[3]]);
    }

    private static string? ParseRating(ReadOnlySpan<byte> field, out double rating)
    {
        var error = FieldParser.ParseFinite(field, "rating", out rating);
        if (error is not null) return error;
        return rating is < LowestRating or > HighestRating
            ? $"rating {rating.ToString(CultureInfo.InvariantCulture)} is outside MovieLens's scale [{LowestRating.ToString(CultureInfo.InvariantCulture)}, {HighestRating}]"
            : null;
    }

    private static string? ParseTimestamp(ReadOnlySpan<byte> field)
    {
        var error = FieldParser.ParseInteger(field, "timestamp", out var seconds);
        if (error is not null) return error;
        return seconds < 0 ? $"timestamp {seconds} is negative (seconds since 1970)" : null;
    }

    /// <summary>Splits on <paramref name="separator"/> into at most fields.Length ranges; returns how many it found (capped).</summary>
    private static int Split(ReadOnlySpan<byte> line, ReadOnlySpan<byte> separator, Span<Range> fields)
    {
        var count = 0;
        var start = 0;
        while (true)
        {
            var at = line[start..].IndexOf(separator);
            var end = at < 0 ? line.Length : start + at;
            if (count == fields.Length) return count;
            fields[count++] = new Range(start, end);
            if (at < 0) return count;
            start = end + separator.Length;
        }
    }

    private static bool LooksLikeHeader(ReadOnlySpan<byte> line)
    {
        var trimmed = line.TrimStart(" \t"u8);
        return trimmed.Length > 0 && trimmed[0] is not ((>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'+' or (byte)'.');
    }

    private static void CheckHeader(string path, long lineNumber, ReadOnlySpan<byte> line)
    {
        string[] expected = ["userid", "movieid", "rating", "timestamp"];
        var names = Encoding.UTF8.GetString(line).Split(',');
        var matches = names.Length == expected.Length
            && names.Select(n => n.Trim().Trim('"').Trim().ToLowerInvariant()).SequenceEqual(expected);
        if (!matches)
        {
            throw new DataFormatException(path, lineNumber, $"header {FieldParser.Quote(line)} is not 'userId,movieId,rating,timestamp' (a file without a header must start with a rating line)");
        }
    }

    private static ReadOnlySpan<byte> Separator(RatingsLayout layout) => layout switch
    {
        RatingsLayout.Csv => ","u8,
        RatingsLayout.UData => "\t"u8,
        _ => "::"u8,
    };

    private static string Describe(ReadOnlySpan<byte> separator) => separator.SequenceEqual("\t"u8) ? "tabs" : $"'{Encoding.ASCII.GetString(separator)}'";

    private static string FieldNames(RatingsLayout layout) => layout switch
    {
        RatingsLayout.Csv => "userId,movieId,rating,timestamp",
        RatingsLayout.UData => "user, item, rating, timestamp",
        _ => "UserID::MovieID::Rating::Timestamp",
    };
}
