using System.Globalization;
using System.Text;
using System.Text.Json;
using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Checkpoints;

/// <summary>
/// The string metadata of a checkpoint: format, network name and hash, optimizer, the training position (with the
/// seed, the whole RNG state: every random draw is keyed by seed, step and epoch) and the spec the model was
/// trained with, as JSON, for provenance.
/// </summary>
internal static class CheckpointMetadata
{
    public const string FormatKey = "format";
    public const string NetworkKey = "network";
    public const string HashKey = "network_hash";
    public const string OptimizerKey = "optimizer";
    public const string StateCountKey = "optimizer_state_count";
    public const string StepKey = "step";
    public const string EpochKey = "epoch";
    public const string BatchInEpochKey = "batch_in_epoch";
    public const string SeedKey = "seed";
    public const string SpecKey = "spec";
    public const string RngKey = "rng";
    public const string TiedKey = "tied";

    /// <summary>The metadata; <paramref name="ties"/> (<see cref="CheckpointLayout.Ties"/>) is written only when the network has ties.</summary>
    public static Dictionary<string, string> Create(NetworkSpec spec, int stateCount, long step, long epoch, int batchInEpoch, string ties)
    {
        var metadata = Create(spec, stateCount, step, epoch, batchInEpoch);
        if (ties.Length > 0) metadata[TiedKey] = ties;
        return metadata;
    }

    private static Dictionary<string, string> Create(NetworkSpec spec, int stateCount, long step, long epoch, int batchInEpoch) => new()
    {
        [FormatKey] = CheckpointLayout.Format,
        [NetworkKey] = spec.Name,
        [HashKey] = spec.SourceHash,
        [OptimizerKey] = spec.Optimizer.Kind.ToString(),
        [StateCountKey] = stateCount.ToString(CultureInfo.InvariantCulture),
        [StepKey] = step.ToString(CultureInfo.InvariantCulture),
        [EpochKey] = epoch.ToString(CultureInfo.InvariantCulture),
        [BatchInEpochKey] = batchInEpoch.ToString(CultureInfo.InvariantCulture),
        [SeedKey] = spec.Training.Seed.ToString(CultureInfo.InvariantCulture),
        [RngKey] = "counter-based: every draw is a function of (seed, step, epoch)",
        [SpecKey] = SpecJson(spec),
    };

    private static string SpecJson(NetworkSpec spec)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("name", spec.Name);
            w.WriteStartArray("layers");
            foreach (var l in spec.Layers)
            {
                w.WriteStartObject();
                w.WriteString("name", l.Name);
                w.WriteString("kind", l.Kind.ToString());
                w.WriteNumber("width", l.Width);
                w.WriteBoolean("sparse", l.Sparse);
                if (l.Kind != LayerKind.Input)
                {
                    w.WriteString("activation", l.Activation.Kind.ToString());
                    w.WriteStartArray("sources");
                    foreach (var s in l.Sources) w.WriteStringValue(s);
                    w.WriteEndArray();
                }
                if (l.Target is not null) w.WriteString("target", l.Target);
                if (l.Tied is { } tied) w.WriteString("tied", $"{tied.Source} -> {tied.Target}");
                if (l.Dropout > 0) w.WriteNumber("dropout", l.Dropout);
                if (l.BatchNorm is { } bn)
                {
                    w.WriteStartObject("batch_norm");
                    w.WriteNumber("momentum", bn.Momentum);
                    w.WriteNumber("epsilon", bn.Epsilon);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("loss");
            w.WriteString("kind", spec.Loss.Kind.ToString());
            w.WriteNumber("one_target", spec.Loss.OneTarget);
            w.WriteNumber("zero_target", spec.Loss.ZeroTarget);
            w.WriteNumber("one_scale", spec.Loss.OneScale);
            w.WriteNumber("zero_scale", spec.Loss.ZeroScale);
            w.WriteEndObject();
            var o = spec.Optimizer;
            w.WriteStartObject("optimizer");
            w.WriteString("kind", o.Kind.ToString());
            w.WriteNumber("learning_rate", o.LearningRate);
            w.WriteNumber("momentum", o.Momentum);
            w.WriteNumber("decay", o.Decay);
            w.WriteNumber("beta1", o.Beta1);
            w.WriteNumber("beta2", o.Beta2);
            w.WriteNumber("epsilon", o.Epsilon);
            w.WriteNumber("weight_decay", o.WeightDecay);
            w.WriteNumber("l1_decay", o.L1Decay);
            if (o.Schedule is { } schedule)
            {
                // Provenance only: the rate of any step follows from this and the saved step and epoch.
                w.WriteStartObject("schedule");
                w.WriteString("kind", schedule.Kind.ToString());
                w.WriteNumber("every", schedule.Every);
                w.WriteNumber("factor", schedule.Factor);
                w.WriteNumber("decay", schedule.Decay);
                w.WriteNumber("epochs", schedule.Epochs);
                w.WriteNumber("min_factor", schedule.MinFactor);
                w.WriteNumber("warmup", schedule.WarmupEpochs);
                w.WriteNumber("warmup_start", schedule.WarmupStart);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            var t = spec.Training;
            w.WriteStartObject("train");
            w.WriteNumber("batch", t.Batch);
            w.WriteNumber("epochs", t.Epochs);
            w.WriteNumber("denoising", t.Denoising);
            w.WriteBoolean("shuffle", t.Shuffle);
            w.WriteNumber("seed", t.Seed);
            w.WriteNumber("sparseness_p", t.SparsenessP);
            w.WriteNumber("sparseness_beta", t.SparsenessBeta);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
