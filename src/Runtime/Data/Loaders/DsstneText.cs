using System.Globalization;
using System.Text;
using DestinyDsl.Runtime.Data.IO;

namespace DestinyDsl.Runtime.Data;

/// <summary>
/// DSSTNE's sparse text format (the input of its generateNetCDF tool): one sample per line, the sample label, a
/// tab, then its data points. Samples become rows in file order; features become columns in order of first
/// appearance (as generateNetCDF numbers a new feature index). Malformed lines are <see cref="DataFormatException"/>s
/// with <c>file:line: reason</c>, or <c>file:line:column: reason</c> at the malformed data point or value: a missing tab, an empty label or data point, a value that is not a finite number,
/// more than one value per point (DSSTNE warned and dropped the extras), a feature twice in one sample, a sample
/// label twice in the file.
/// </summary>
public static class DsstneText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Loads a file; rows = samples, columns = features.</summary>
    public static InteractionData Load(string path, DsstneTextOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new DsstneTextOptions();
        var (pointSeparator, valueSeparator) = Separators(options.Format);
        var samples = new IndexMapBuilder();
        var sampleLines = new List<long>();
        var features = new IndexMapBuilder();
        var builder = new SparseMatrixBuilder(columns: null, withValues: options.KeepValues);
        var blanks = new BlankLineGuard();
        var chars = new char[1024];
        var rowColumns = new List<int>();
        var rowValues = new List<float>();

        using var reader = new Utf8LineReader(path);
        while (reader.TryReadLine(out var bytes))
        {
            var lineNumber = reader.LineNumber;
            if (FieldParser.IsBlank(bytes))
            {
                blanks.Blank(lineNumber);
                continue;
            }
            blanks.Data(path);
            var line = Decode(path, lineNumber, bytes, ref chars);

            var tab = line.IndexOf('\t');
            if (tab < 0) throw new DataFormatException(path, lineNumber, "missing tab between the sample label and its data points");
            if (tab == 0) throw new DataFormatException(path, lineNumber, "the sample label before the tab is empty");
            var label = line[..tab];
            var points = line[(tab + 1)..];
            samples.GetOrAdd(label, out var added);
            if (!added) throw new DataFormatException(path, lineNumber, $"sample '{label}' appears again (first at line {sampleLines[samples.IndexOfExisting(label)]})");
            sampleLines.Add(lineNumber);
            if (points.Contains('\t')) throw new DataFormatException(path, lineNumber, $"sample '{label}': a second tab; data points are separated by '{pointSeparator}'");

            rowColumns.Clear();
            rowValues.Clear();
            if (!points.IsEmpty)
            {
                foreach (var range in points.Split(pointSeparator))
                {
                    var point = points[range];
                    // One-based character column of the point on its line (after the label and the tab).
                    var at = tab + 2 + range.Start.GetOffset(points.Length);
                    var (column, value) = ParsePoint(path, lineNumber, at, label, point, valueSeparator, pointSeparator, features);
                    rowColumns.Add(column);
                    rowValues.Add(value);
                }
            }
            AddRow(path, lineNumber, label, builder, rowColumns, rowValues, features, options.KeepValues);
        }

        if (samples.Count == 0) throw new DataFormatException(path, null, "no samples: the file is empty");
        if (features.Count == 0) throw new DataFormatException(path, null, $"none of the {samples.Count} samples has a data point, so there are no features");
        return new InteractionData(builder.Build(features.Count), samples.Build(), features.Build());
    }

    /// <summary>
    /// Writes <paramref name="data"/> atomically (temporary file, then rename) in the chosen format: values when the
    /// matrix has them (shortest text that reads back to the same float), none for indicator data. Features
    /// without any entry do not appear in the file, so a reload has only the columns that occur.
    /// </summary>
    /// <exception cref="ArgumentException">A label or feature id is empty or contains a separator (tab, line break, ':' or ',' in feature ids).</exception>
    public static void Write(string path, InteractionData data, DsstneTextOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new DsstneTextOptions();
        var (pointSeparator, valueSeparator) = Separators(options.Format);
        CheckIds(data.Users, "sample label", forbidden: "\t\r\n");
        CheckIds(data.Items, "feature id", forbidden: "\t\r\n:,");

        var matrix = data.Matrix;
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, StrictUtf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
            for (var r = 0; r < matrix.Rows; r++)
            {
                writer.Write(data.Users.ExternalId(r));
                writer.Write('\t');
                var columns = matrix.RowIndices(r);
                var values = matrix.RowValues(r);
                for (var i = 0; i < columns.Length; i++)
                {
                    if (i > 0) writer.Write(pointSeparator);
                    writer.Write(data.Items.ExternalId(columns[i]));
                    if (!values.IsEmpty)
                    {
                        writer.Write(valueSeparator);
                        writer.Write(values[i].ToString("R", CultureInfo.InvariantCulture));
                    }
                }
                writer.Write('\n');
            }
        });
    }

    private static (char Point, char Value) Separators(DsstneTextFormat format) => format switch
    {
        DsstneTextFormat.Native => (':', ','),
        DsstneTextFormat.CommaSeparated => (',', ':'),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown DSSTNE text format."),
    };

    private static ReadOnlySpan<char> Decode(string path, long lineNumber, ReadOnlySpan<byte> bytes, ref char[] chars)
    {
        try
        {
            var needed = StrictUtf8.GetMaxCharCount(bytes.Length);
            if (chars.Length < needed) chars = new char[Math.Max(needed, chars.Length * 2)];
            var count = StrictUtf8.GetChars(bytes, chars);
            return chars.AsSpan(0, count);
        }
        catch (DecoderFallbackException e)
        {
            throw new DataFormatException(path, lineNumber, "the line is not valid UTF-8", e);
        }
    }

    /// <summary>One data point, <c>feature[value-separator value]</c>, starting at character column <paramref name="at"/> of its line; errors name that spot.</summary>
    private static (int Column, float Value) ParsePoint(string path, long lineNumber, int at, ReadOnlySpan<char> label, ReadOnlySpan<char> point, char valueSeparator, char pointSeparator, IndexMapBuilder features)
    {
        if (point.IsEmpty) throw new DataFormatException(path, lineNumber, at, $"sample '{label}': empty data point (two '{pointSeparator}' in a row, or one at the start or end)");
        var split = point.IndexOf(valueSeparator);
        var name = split < 0 ? point : point[..split];
        if (name.IsEmpty) throw new DataFormatException(path, lineNumber, at, $"sample '{label}': data point '{point}' has no feature before '{valueSeparator}'");
        var value = 1f;
        if (split >= 0)
        {
            var text = point[(split + 1)..];
            var extra = text.IndexOf(valueSeparator);
            if (extra >= 0) throw new DataFormatException(path, lineNumber, at + split + 1 + extra, $"sample '{label}': data point '{point}' has more than one value");
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !float.IsFinite(value))
            {
                throw new DataFormatException(path, lineNumber, at + split + 1, $"sample '{label}': value '{text}' of feature '{name}' is not a finite number");
            }
        }
        return (features.GetOrAdd(name, out _), value);
    }

    private static void AddRow(string path, long lineNumber, ReadOnlySpan<char> label, SparseMatrixBuilder builder, List<int> columns, List<float> values, IndexMapBuilder features, bool keepValues)
    {
        var columnSpan = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(columns);
        var valueSpan = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
        columnSpan.Sort(valueSpan);
        for (var i = 1; i < columnSpan.Length; i++)
        {
            if (columnSpan[i] == columnSpan[i - 1])
            {
                throw new DataFormatException(path, lineNumber, $"sample '{label}': feature '{features.IdAt(columnSpan[i])}' appears twice");
            }
        }
        if (keepValues) builder.AddRow(columnSpan, valueSpan);
        else builder.AddRow(columnSpan);
    }

    private static void CheckIds(IndexMap ids, string what, string forbidden)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids.ExternalId(i);
            if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException($"The {what} at index {i} is empty or blank; the text format cannot represent it.");
            var bad = id.IndexOfAny(forbidden.ToCharArray());
            if (bad >= 0) throw new ArgumentException($"The {what} '{id}' (index {i}) contains {Escape(id[bad])}, which the text format uses as a separator.");
        }
    }

    private static string Escape(char c) => c switch
    {
        '\t' => "a tab",
        '\r' or '\n' => "a line break",
        _ => $"'{c}'",
    };
}
