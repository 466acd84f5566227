using System.Text.Json;
using System.Text.Unicode;

namespace DestinyDsl.Runtime.Checkpoints.Safetensors;

/// <summary>
/// Parses and validates a safetensors header with <see cref="Utf8JsonReader"/> (no reflection, trim-safe). Every
/// rule the format has is checked here, before any tensor data is touched, and each violation is a
/// <see cref="CheckpointFormatException"/> that names the tensor and the problem.
/// </summary>
internal sealed class SafetensorsHeader
{
    private SafetensorsHeader(IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Tensors in data order (ascending offsets).</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Parses <paramref name="json"/> and checks the tensors tile a data section of <paramref name="dataLength"/> bytes.</summary>
    public static SafetensorsHeader Parse(string path, ReadOnlySpan<byte> json, long dataLength)
    {
        if (!Utf8.IsValid(json)) throw Fail(path, null, "the header is not valid UTF-8");
        if (json.IsEmpty || json[0] != (byte)'{') throw Fail(path, null, $"the header must be a JSON object starting with '{{', but starts with {Describe(json)}");

        var entries = new List<SafetensorsTensorInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, string>? metadata = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
            reader.Read();                                        // the opening '{', checked above
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                if (key == SafetensorsFile.MetadataKey)
                {
                    if (metadata is not null) throw Fail(path, null, $"'{SafetensorsFile.MetadataKey}' appears twice in the header");
                    metadata = ParseMetadata(path, ref reader);
                    continue;
                }
                if (!names.Add(key)) throw Fail(path, key, "the name appears twice in the header");
                entries.Add(ParseEntry(path, key, ref reader));
            }
            // Only the space padding may follow the object; anything else makes this Read throw.
            if (reader.Read()) throw Fail(path, null, $"unexpected {reader.TokenType} after the header object");
        }
        catch (JsonException e)
        {
            throw Fail(path, null, $"the header is not valid JSON: {e.Message}", e);
        }

        CheckLayout(path, entries, dataLength);
        entries.Sort((a, b) => a.DataBegin != b.DataBegin ? a.DataBegin.CompareTo(b.DataBegin) : a.DataEnd.CompareTo(b.DataEnd));
        return new SafetensorsHeader(entries, metadata ?? new Dictionary<string, string>());
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException("The header ends in the middle of the object.");
        return reader.TokenType;
    }

    private static Dictionary<string, string> ParseMetadata(string path, ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartObject) throw Fail(path, null, $"'{SafetensorsFile.MetadataKey}' must be an object of strings, found {Kind(reader.TokenType)}");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            var token = Next(ref reader);
            if (token != JsonTokenType.String)
            {
                throw Fail(path, null, $"metadata '{key}' is a {Kind(token)}; metadata values must be strings");
            }
            if (!metadata.TryAdd(key, reader.GetString()!)) throw Fail(path, null, $"metadata key '{key}' appears twice");
        }
        return metadata;
    }

    private static SafetensorsTensorInfo ParseEntry(string path, string name, ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartObject) throw Fail(path, name, $"the entry must be an object with dtype, shape and data_offsets, found {Kind(reader.TokenType)}");
        SafetensorsDtype? dtype = null;
        List<long>? shape = null;
        List<long>? offsets = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            switch (key)
            {
                case "dtype" when dtype is null:
                    if (Next(ref reader) != JsonTokenType.String) throw Fail(path, name, $"dtype must be a string, found {Kind(reader.TokenType)}");
                    var text = reader.GetString()!;
                    if (!SafetensorsDtypes.TryParse(text, out var parsed)) throw Fail(path, name, $"unknown dtype '{text}' (known: {SafetensorsDtypes.KnownNames})");
                    dtype = parsed;
                    break;
                case "shape" when shape is null:
                    shape = ParseIntegers(path, name, "shape", ref reader);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ParseIntegers(path, name, "data_offsets", ref reader);
                    if (offsets.Count != 2) throw Fail(path, name, $"data_offsets must be [begin, end], found {offsets.Count} numbers");
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw Fail(path, name, $"'{key}' appears twice in the entry");
                default:
                    throw Fail(path, name, $"unknown key '{key}' in the entry (expected dtype, shape, data_offsets)");
            }
        }
        if (dtype is null) throw Fail(path, name, "the entry has no dtype");
        if (shape is null) throw Fail(path, name, "the entry has no shape");
        if (offsets is null) throw Fail(path, name, "the entry has no data_offsets");
        return new SafetensorsTensorInfo(name, dtype.Value, shape.ToArray(), offsets[0], offsets[1]);
    }

    private static List<long> ParseIntegers(string path, string name, string what, ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartArray) throw Fail(path, name, $"{what} must be an array of non-negative integers, found {Kind(reader.TokenType)}");
        var values = new List<long>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value) || value < 0)
            {
                var found = reader.TokenType == JsonTokenType.Number ? System.Text.Encoding.UTF8.GetString(reader.ValueSpan) : Kind(reader.TokenType);
                throw Fail(path, name, $"{what} must hold non-negative integers, found {found}");
            }
            values.Add(value);
        }
        return values;
    }

    /// <summary>Sizes match shapes, and the tensors cover the data section exactly: no gap, no overlap, nothing after.</summary>
    private static void CheckLayout(string path, List<SafetensorsTensorInfo> entries, long dataLength)
    {
        SafetensorsTensorInfo? furthest = null;
        foreach (var t in entries)
        {
            if (t.DataEnd < t.DataBegin) throw Fail(path, t.Name, $"data_offsets [{t.DataBegin}, {t.DataEnd}] end before they begin");
            var expected = ExpectedBytes(path, t);
            if (t.ByteLength != expected)
            {
                throw Fail(path, t.Name, $"shape {t.ShapeText} of {t.Dtype.FileName()} needs {expected} bytes but data_offsets [{t.DataBegin}, {t.DataEnd}] span {t.ByteLength}");
            }
            if (furthest is null || t.DataEnd > furthest.DataEnd) furthest = t;
        }

        var needed = furthest?.DataEnd ?? 0;
        if (needed > dataLength)
        {
            throw Fail(path, null, $"truncated: header says {needed} bytes of data (tensor '{furthest!.Name}' ends at {needed}), file has {dataLength}");
        }

        var ordered = entries.OrderBy(t => t.DataBegin).ThenBy(t => t.DataEnd).ToList();
        long position = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var t in ordered)
        {
            if (t.DataBegin < position)
            {
                throw Fail(path, t.Name, $"data_offsets [{t.DataBegin}, {t.DataEnd}] overlap tensor '{previous!.Name}' [{previous.DataBegin}, {previous.DataEnd}]");
            }
            if (t.DataBegin > position)
            {
                throw Fail(path, t.Name, $"data_offsets [{t.DataBegin}, {t.DataEnd}] leave a gap: bytes [{position}, {t.DataBegin}) of the data section belong to no tensor");
            }
            position = t.DataEnd;
            previous = t;
        }
        if (position < dataLength)
        {
            throw Fail(path, null, $"{dataLength - position} bytes after the last tensor's data (the tensors cover {position} of the {dataLength} data bytes)");
        }
    }

    private static long ExpectedBytes(string path, SafetensorsTensorInfo t)
    {
        try
        {
            long count = 1;
            foreach (var d in t.Shape) count = checked(count * d);
            return checked(count * t.Dtype.Size());
        }
        catch (OverflowException)
        {
            throw Fail(path, t.Name, $"shape {t.ShapeText} of {t.Dtype.FileName()} overflows a 64-bit byte count");
        }
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => token.ToString(),
    };

    private static string Describe(ReadOnlySpan<byte> json)
        => json.IsEmpty ? "nothing (empty header)" : json[0] is >= 0x20 and < 0x7F ? $"'{(char)json[0]}'" : $"byte 0x{json[0]:X2}";

    private static CheckpointFormatException Fail(string path, string? tensor, string reason, Exception? inner = null) => new(path, tensor, reason, inner);
}
