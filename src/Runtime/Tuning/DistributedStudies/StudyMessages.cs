using System.Text;
using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>The message kinds of a distributed study; each is an MPI tag.</summary>
internal enum StudyTag
{
    /// <summary>Coordinator → group leader (and leader → its group): run trial T of region R with these values.</summary>
    Assign = 1,

    /// <summary>Coordinator → leader (and leader → group): what to do after an epoch report.</summary>
    Decision = 2,

    /// <summary>Coordinator → leader (and leader → group): no more trials; return.</summary>
    Stop = 3,

    /// <summary>Leader → coordinator: a trial's per-epoch metric (the coordinator journals it and asks the pruner).</summary>
    Epoch = 10,

    /// <summary>Leader → coordinator: how a trial ended. Member → leader: how it ended on that rank.</summary>
    Outcome = 11,

    /// <summary>Leader → member: every rank of the group has reported its outcome; wait for the next trial.</summary>
    OutcomeAgreed = 12,
}

/// <summary>What a group is told to do after an epoch report.</summary>
internal enum EpochDecision : byte
{
    Continue = 0,
    Prune = 1,

    /// <summary>The study was cancelled: the trial ends by cancellation and stays unfinished in the journal.</summary>
    Cancel = 2,
}

/// <summary>How a trial ended on a worker rank (or, combined, on its group).</summary>
internal enum OutcomeKind : byte
{
    /// <summary>The objective returned a value (a non-finite one makes the trial Diverged on the coordinator).</summary>
    Value = 0,
    Pruned = 1,
    Failed = 2,
    Cancelled = 3,
}

internal readonly record struct AssignMessage(int Region, int Trial, double[] Values);

internal readonly record struct EpochMessage(int Trial, int Epoch, double Value);

internal readonly record struct OutcomeMessage(int Trial, OutcomeKind Kind, double Value, string? Error);

/// <summary>
/// Binary encodings of the messages (little-endian, doubles bit for bit: a trial's parameters arrive exactly as the
/// optimiser made them, and NaN/∞ survive, which JSON would not carry).
/// </summary>
internal static class StudyMessages
{
    public static byte[] Assign(AssignMessage m) => Write(w =>
    {
        w.Write(m.Region);
        w.Write(m.Trial);
        w.Write(m.Values.Length);
        foreach (var v in m.Values) w.Write(v);
    });

    public static AssignMessage ReadAssign(byte[] bytes) => Read(bytes, r =>
    {
        var region = r.ReadInt32();
        var trial = r.ReadInt32();
        var values = new double[r.ReadInt32()];
        for (var i = 0; i < values.Length; i++) values[i] = r.ReadDouble();
        return new AssignMessage(region, trial, values);
    });

    public static byte[] Epoch(EpochMessage m) => Write(w =>
    {
        w.Write(m.Trial);
        w.Write(m.Epoch);
        w.Write(m.Value);
    });

    public static EpochMessage ReadEpoch(byte[] bytes) => Read(bytes, r => new EpochMessage(r.ReadInt32(), r.ReadInt32(), r.ReadDouble()));

    public static byte[] Outcome(OutcomeMessage m) => Write(w =>
    {
        w.Write(m.Trial);
        w.Write((byte)m.Kind);
        w.Write(m.Value);
        w.Write(m.Error is not null);
        if (m.Error is not null) w.Write(m.Error);
    });

    public static OutcomeMessage ReadOutcome(byte[] bytes) => Read(bytes, r =>
    {
        var trial = r.ReadInt32();
        var kind = (OutcomeKind)r.ReadByte();
        var value = r.ReadDouble();
        var error = r.ReadBoolean() ? r.ReadString() : null;
        return new OutcomeMessage(trial, kind, value, error);
    });

    public static byte[] Decision(EpochDecision decision) => [(byte)decision];

    public static EpochDecision ReadDecision(byte[] bytes)
        => bytes.Length == 1 && bytes[0] <= (byte)EpochDecision.Cancel ? (EpochDecision)bytes[0] : throw Malformed("decision", bytes);

    /// <summary>The parameters of an assignment, named by the region's search space (every rank has the same space).</summary>
    public static TrialParameters Parameters(SearchSpace space, double[] values, string region)
    {
        if (values.Length != space.Dimensions.Count)
            throw new InvalidOperationException(
                $"Region '{region}': the coordinator sent {values.Length} parameter values but this rank's search space has {space.Dimensions.Count} dimensions; "
                + "every rank of the job must pass the same regions and search spaces.");
        return new TrialParameters(space.Dimensions.Select((d, i) => new KeyValuePair<string, double>(d.Path, values[i])));
    }

    private static byte[] Write(Action<BinaryWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) body(writer);
        return buffer.ToArray();
    }

    private static T Read<T>(byte[] bytes, Func<BinaryReader, T> body)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        try
        {
            var result = body(reader);
            if (reader.BaseStream.Position != bytes.Length) throw Malformed(typeof(T).Name, bytes);
            return result;
        }
        catch (EndOfStreamException)
        {
            throw Malformed(typeof(T).Name, bytes);
        }
    }

    private static InvalidOperationException Malformed(string what, byte[] bytes)
        => new($"A distributed study received a malformed {what} message ({bytes.Length} bytes): the ranks run different versions of the program?");
}
