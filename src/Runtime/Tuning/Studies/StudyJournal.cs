using System.Globalization;
using System.Text.Json;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tuning.Studies;

/// <summary>
/// The study's append-only JSON-lines journal: one event per line, each line flushed to the operating system as it
/// is written, so a killed process loses at most the line being written. Events:
/// <code>
/// {"event":"started","trial":3,"time":"2026-12-07T22:01:02.345+00:00","parameters":{"lr":0.01,"width":64}}
/// {"event":"epoch","trial":3,"epoch":1,"value":0.52}
/// {"event":"finished","trial":3,"state":"Completed","value":0.41,"epochs":5,"time":"…","seconds":12.5,"error":null}
/// </code>
/// Non-finite values are written as the strings "NaN", "Infinity", "-Infinity". A trial re-run after a resume has a
/// second "started" line with the same id and parameters.
/// </summary>
internal sealed class StudyJournal : IDisposable
{
    private readonly FileStream _stream;
    private readonly object _gate = new();

    private StudyJournal(FileStream stream) => _stream = stream;

    /// <summary>Opens the journal for appending, cutting a torn last line (<paramref name="validLength"/> bytes are kept).</summary>
    public static StudyJournal Open(string path, long validLength, bool needsNewline)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } directory)
            Directory.CreateDirectory(directory);
        var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        stream.SetLength(validLength);
        stream.Seek(0, SeekOrigin.End);
        if (needsNewline)
            stream.WriteByte((byte)'\n');
        stream.Flush(flushToDisk: true);
        return new StudyJournal(stream);
    }

    public void Started(int trial, TrialParameters parameters, DateTimeOffset time) => Write(w =>
    {
        w.WriteString("event", "started");
        w.WriteNumber("trial", trial);
        w.WriteString("time", time.ToString("O", CultureInfo.InvariantCulture));
        w.WriteStartObject("parameters");
        foreach (var (path, value) in parameters.Values)
            WriteNumber(w, path, value);
        w.WriteEndObject();
    });

    public void Epoch(int trial, EpochMetric metric) => Write(w =>
    {
        w.WriteString("event", "epoch");
        w.WriteNumber("trial", trial);
        w.WriteNumber("epoch", metric.Epoch);
        WriteNumber(w, "value", metric.Value);
    });

    public void Finished(TrialRecord record) => Write(w =>
    {
        w.WriteString("event", "finished");
        w.WriteNumber("trial", record.Id);
        w.WriteString("state", record.State.ToString());
        WriteNumber(w, "value", record.Value);
        w.WriteNumber("epochs", record.EpochsRun);
        w.WriteString("time", record.Ended.ToString("O", CultureInfo.InvariantCulture));
        w.WriteNumber("seconds", record.Duration.TotalSeconds);
        if (record.Error is null)
            w.WriteNull("error");
        else
            w.WriteString("error", record.Error);
    });

    private void Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        lock (_gate)
        {
            _stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            _stream.Flush(flushToDisk: false);
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
            w.WriteNumber(name, value);
        else
            w.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    public void Dispose()
    {
        lock (_gate)
            _stream.Dispose();
    }

    // ---------------------------------------------------------------- reading

    /// <summary>A journal read back: finished trials in finishing order, unfinished ones by id.</summary>
    public sealed record Contents(
        IReadOnlyList<TrialRecord> Finished,
        IReadOnlyList<(int Id, TrialParameters Parameters)> Unfinished,
        int NextId,
        long ValidLength,
        bool NeedsNewline,
        IReadOnlyList<string> Warnings);

    private sealed class Building(TrialParameters parameters, DateTimeOffset started)
    {
        public TrialParameters Parameters { get; } = parameters;
        public DateTimeOffset Started { get; set; } = started;
        public List<EpochMetric> Epochs { get; } = [];
        public bool Finished { get; set; }
    }

    /// <summary>Reads <paramref name="path"/> (absent or empty: a new study).</summary>
    /// <exception cref="DataFormatException">A line other than a torn last one is malformed, or the journal does not fit the space.</exception>
    public static Contents Read(string path, SearchSpace space)
    {
        var warnings = new List<string>();
        if (!File.Exists(path))
            return new Contents([], [], 0, 0, false, warnings);
        var bytes = File.ReadAllBytes(path);
        var trials = new SortedDictionary<int, Building>();
        var finished = new List<TrialRecord>();
        long offset = 0, validLength = 0;
        var needsNewline = false;
        var lineNumber = 0;
        while (offset < bytes.Length)
        {
            lineNumber++;
            var end = Array.IndexOf(bytes, (byte)'\n', (int)offset);
            var terminated = end >= 0;
            var lineEnd = terminated ? end : bytes.Length;
            var line = new ReadOnlySpan<byte>(bytes, (int)offset, lineEnd - (int)offset);
            var next = terminated ? end + 1L : bytes.Length;
            if (line.Length > 0 && line[^1] == (byte)'\r')
                line = line[..^1];
            if (line.IsEmpty || line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                offset = next;
                validLength = next;
                continue;
            }
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line.ToArray());
            }
            catch (JsonException e)
            {
                if (!terminated)
                {
                    warnings.Add($"{path}:{lineNumber}: the last line is incomplete (the process was stopped while writing it); it is ignored.");
                    break;
                }
                throw new DataFormatException(path, lineNumber, $"not a JSON object: {e.Message}", e);
            }
            using (document)
                Apply(path, lineNumber, document.RootElement, space, trials, finished);
            offset = next;
            validLength = next;
            needsNewline = !terminated;
        }
        var unfinished = trials.Where(t => !t.Value.Finished).Select(t => (t.Key, t.Value.Parameters)).ToArray();
        var nextId = trials.Count == 0 ? 0 : trials.Keys.Max() + 1;
        return new Contents(finished, unfinished, nextId, validLength, needsNewline, warnings);
    }

    private static void Apply(string path, int line, JsonElement root, SearchSpace space, SortedDictionary<int, Building> trials, List<TrialRecord> finished)
    {
        DataFormatException Error(string reason) => new(path, line, reason);
        if (root.ValueKind != JsonValueKind.Object)
            throw Error("not a JSON object");
        var kind = String(root, "event");
        var id = Int(root, "trial");
        switch (kind)
        {
            case "started":
            {
                var time = Time(root, "time");
                if (!root.TryGetProperty("parameters", out var p) || p.ValueKind != JsonValueKind.Object)
                    throw Error("'parameters' is missing or not an object");
                var values = new List<KeyValuePair<string, double>>();
                foreach (var property in p.EnumerateObject())
                    values.Add(new(property.Name, Number(property.Value, "parameters." + property.Name)));
                var parameters = new TrialParameters(values);
                var paths = space.Dimensions.Select(d => d.Path).ToArray();
                if (!parameters.Keys.SequenceEqual(paths, StringComparer.Ordinal))
                    throw Error($"trial {id}'s parameters ({string.Join(", ", parameters.Keys)}) are not the search space's ({string.Join(", ", paths)}); is this the journal of another study?");
                if (trials.TryGetValue(id, out var existing))
                {
                    if (existing.Finished)
                        throw Error($"trial {id} is started again after it finished");
                    if (!existing.Parameters.Equals(parameters))
                        throw Error($"trial {id} is re-run with other parameters than it started with");
                    existing.Started = time; // a re-run after a resume: the new attempt's metrics replace the old ones
                    existing.Epochs.Clear();
                }
                else
                {
                    trials.Add(id, new Building(parameters, time));
                }
                break;
            }
            case "epoch":
            {
                var trial = Known(id);
                trial.Epochs.Add(new EpochMetric(Int(root, "epoch"), Number(Property(root, "value"), "value")));
                break;
            }
            case "finished":
            {
                var trial = Known(id);
                if (trial.Finished)
                    throw Error($"trial {id} finished twice");
                var stateText = String(root, "state");
                if (!Enum.TryParse<TrialState>(stateText, ignoreCase: false, out var state) || !Enum.IsDefined(state))
                    throw Error($"unknown trial state '{stateText}'");
                var value = Number(Property(root, "value"), "value");
                var ended = Time(root, "time");
                string? error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                trial.Finished = true;
                finished.Add(new TrialRecord(id, trial.Parameters, state, value, trial.Epochs.ToArray(), trial.Started, ended, error, Replayed: true));
                break;
            }
            default:
                throw Error($"unknown event '{kind}'");
        }

        Building Known(int trialId) => trials.TryGetValue(trialId, out var t) ? t : throw Error($"trial {trialId} was never started");

        JsonElement Property(JsonElement o, string name) => o.TryGetProperty(name, out var v) ? v : throw Error($"'{name}' is missing");

        string String(JsonElement o, string name)
        {
            var v = Property(o, name);
            return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error($"'{name}' is not a string");
        }

        int Int(JsonElement o, string name)
        {
            var v = Property(o, name);
            return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && (name != "trial" || i >= 0) ? i : throw Error($"'{name}' is not a valid integer");
        }

        DateTimeOffset Time(JsonElement o, string name) =>
            DateTimeOffset.TryParse(String(o, name), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : throw Error($"'{name}' is not a time");

        double Number(JsonElement v, string name) => v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String => v.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                _ => throw Error($"'{name}' is not a number"),
            },
            _ => throw Error($"'{name}' is not a number"),
        };
    }
}
