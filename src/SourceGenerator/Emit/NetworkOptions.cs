using DestinyDsl.Language.Lowering;
using DestinyDsl.Language.Model;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>The C# type of a generated option property.</summary>
internal enum OptionType { Float, Int, Bool, UInt64 }

/// <summary>
/// One property of the generated <c>&lt;Network&gt;Options</c> class: its name, search path, type, default (as a
/// C# literal), doc text, and for construction-only settings (tuned widths) the backing field <c>Set</c> writes.
/// </summary>
internal sealed record OptionInfo(string Property, string Path, OptionType Type, string DefaultLiteral, string Summary, string? BackingField = null);

/// <summary>
/// Decides which settings a network's options expose (only those that apply: the optimizer arguments its kind
/// reads, the marginal cross-entropies' parameters, train settings, declared dropouts, tuned widths) and how each
/// is named. The search paths are the ones docs/generated-code.md lists; every dimension of the network's search
/// space must name one of them.
/// </summary>
internal sealed class NetworkOptions
{
    private readonly Dictionary<string, OptionInfo> _byPath = new(StringComparer.Ordinal);
    private readonly List<OptionInfo> _all = new();

    public NetworkOptions(NetworkModel network, IReadOnlyDictionary<string, string> layerMemberNames, string optionsClassName)
    {
        var names = new MemberNames(new[] { optionsClassName, "Set", "Get", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals", "ToInt32", "ToUInt64", "Paths" });
        AddOptimizer(network.Optimizer, names);
        AddLoss(network.Loss, names);
        AddTraining(network.Training, names);
        foreach (var layer in network.Layers)
        {
            var member = layerMemberNames[layer.Name];
            if (NetworkLowering.HasDropout(layer))
            {
                Add(names, member + "Dropout", layer.Name + ".dropout", OptionType.Float, CSharpLiterals.Float(layer.Dropout.Value),
                    $"Dropout probability of layer {layer.Name}", layer.Dropout);
            }
            if (!layer.Width.IsAuto && layer.Width.Units.IsTuned)
            {
                var units = CSharpLiterals.ToInt32(layer.Width.Units.Value, layer.Name + ".width");
                var property = names.Take(member + "Width", "Option");
                var field = "_" + char.ToLowerInvariant(property[0]) + property.Substring(1);
                AddInfo(new OptionInfo(property, layer.Name + ".width", OptionType.Int, CSharpLiterals.Int(units),
                    Describe($"Width of layer {layer.Name}, fixed when the model is built (a later change makes the next call throw)", layer.Width.Units), field));
            }
        }

        foreach (var dimension in network.SearchSpace)
        {
            if (!_byPath.ContainsKey(dimension.Path))
                throw new InvalidOperationException($"Search dimension '{dimension.Path}' of network '{network.Name}' names no option (options: {string.Join(", ", _byPath.Keys)}).");
        }
    }

    /// <summary>Every option, in declaration order (optimizer, loss, train, layers).</summary>
    public IReadOnlyList<OptionInfo> All => _all;

    /// <summary>The option at a search path, or null when the network does not expose that setting.</summary>
    public OptionInfo? Find(string path) => _byPath.TryGetValue(path, out var option) ? option : null;

    private void AddOptimizer(OptimizerModel o, MemberNames names)
    {
        var kind = DnetSpelling.Of(o.Kind);
        Add(names, "LearningRate", "optimizer.learning_rate", OptionType.Float, CSharpLiterals.Float(o.LearningRate.Value), $"Learning rate η of {kind}", o.LearningRate);
        if (NetworkLowering.HasMomentum(o)) Add(names, "Momentum", "optimizer.momentum", OptionType.Float, CSharpLiterals.Float(o.Momentum.Value), $"Momentum μ of {kind}", o.Momentum);
        if (o.Kind is OptimizerKind.RmsProp or OptimizerKind.AdaDelta)
            Add(names, "Decay", "optimizer.decay", OptionType.Float, CSharpLiterals.Float(o.Decay.Value), $"Decay ρ of {kind}'s running averages", o.Decay);
        if (o.Kind == OptimizerKind.Adam)
        {
            Add(names, "Beta1", "optimizer.beta1", OptionType.Float, CSharpLiterals.Float(o.Beta1.Value), "Decay β₁ of adam's first moment", o.Beta1);
            Add(names, "Beta2", "optimizer.beta2", OptionType.Float, CSharpLiterals.Float(o.Beta2.Value), "Decay β₂ of adam's second moment", o.Beta2);
        }
        if (o.Kind is OptimizerKind.AdaGrad or OptimizerKind.RmsProp or OptimizerKind.AdaDelta or OptimizerKind.Adam)
            Add(names, "Epsilon", "optimizer.epsilon", OptionType.Float, CSharpLiterals.Float(o.Epsilon.Value), $"Stabiliser ε of {kind}", o.Epsilon);
        Add(names, "WeightDecay", "optimizer.weight_decay", OptionType.Float, CSharpLiterals.Float(o.WeightDecay.Value), "L2 weight decay λ₂ (gradient += λ₂·w)", o.WeightDecay);
        Add(names, "L1Decay", "optimizer.l1_decay", OptionType.Float, CSharpLiterals.Float(o.L1Decay.Value), "L1 weight decay λ₁ (gradient += λ₁·sign(w))", o.L1Decay);
        if (o.Schedule is { } schedule) AddSchedule(schedule, names);
    }

    /// <summary>The schedule's numbers its kind reads, then the warm-up (every schedule has one).</summary>
    private void AddSchedule(ScheduleModel s, MemberNames names)
    {
        var kind = DnetSpelling.Of(s.Kind);
        void Count(string property, string argument, Tunable value, string summary) =>
            Add(names, property, "optimizer.schedule." + argument, OptionType.Int, CSharpLiterals.Int(CSharpLiterals.ToInt32(value.Value, "optimizer.schedule." + argument)), summary, value);
        void Number(string property, string argument, Tunable value, string summary) =>
            Add(names, property, "optimizer.schedule." + argument, OptionType.Float, CSharpLiterals.Float(value.Value), summary, value);
        switch (s.Kind)
        {
            case ScheduleKind.Step:
                Count("ScheduleEvery", "every", s.Every, "Epochs between two decays of the learning rate (step schedule)");
                Number("ScheduleFactor", "factor", s.Factor, "Multiplier of the learning rate at every decay (step schedule)");
                break;
            case ScheduleKind.Exponential:
                Number("ScheduleFactor", "factor", s.Factor, "Multiplier of the learning rate per epoch (exponential schedule)");
                break;
            case ScheduleKind.InverseTime:
                Number("ScheduleDecay", "decay", s.Decay, "Decay d of the inverse_time schedule: η/(1 + d·t) at step t");
                break;
            case ScheduleKind.Cosine:
                // Without a period in the file the cosine spans the training's epochs (Epochs), so there is no option for it.
                if (s.Epochs is { } period) Count("ScheduleEpochs", "epochs", period, "Period T of the cosine schedule in epochs");
                Number("ScheduleMinFactor", "min_factor", s.MinFactor, "Final multiplier m of the cosine schedule (the rate ends at m·η)");
                break;
        }
        Count("WarmupEpochs", "warmup", s.Warmup, $"Epochs of linear learning-rate warm-up before the {kind} schedule");
        Number("WarmupStart", "warmup_start", s.WarmupStart, "Multiplier of the learning rate in the first warm-up epoch");
    }

    private void AddLoss(LossModel loss, MemberNames names)
    {
        if (loss.Kind is not (LossKind.ScaledMarginalCrossEntropy or LossKind.DataScaledMarginalCrossEntropy)) return;
        var kind = DnetSpelling.Of(loss.Kind);
        Add(names, "OneTarget", "loss.one_target", OptionType.Float, CSharpLiterals.Float(loss.OneTarget.Value), $"Activation above which {kind} stops pushing a positive unit up", loss.OneTarget);
        Add(names, "ZeroTarget", "loss.zero_target", OptionType.Float, CSharpLiterals.Float(loss.ZeroTarget.Value), $"Activation below which {kind} stops pushing a zero unit down", loss.ZeroTarget);
        Add(names, "OneScale", "loss.one_scale", OptionType.Float, CSharpLiterals.Float(loss.OneScale.Value), $"Weight of {kind}'s positive term", loss.OneScale);
        Add(names, "ZeroScale", "loss.zero_scale", OptionType.Float, CSharpLiterals.Float(loss.ZeroScale.Value), $"Weight of {kind}'s zero term", loss.ZeroScale);
    }

    private void AddTraining(TrainingModel t, MemberNames names)
    {
        Add(names, "Batch", "train.batch", OptionType.Int, CSharpLiterals.Int(CSharpLiterals.ToInt32(t.Batch.Value, "train.batch")), "Mini-batch size", t.Batch);
        Add(names, "Epochs", "train.epochs", OptionType.Int, CSharpLiterals.Int(CSharpLiterals.ToInt32(t.Epochs.Value, "train.epochs")), "Epochs of a training run", t.Epochs);
        Add(names, "Denoising", "train.denoising", OptionType.Float, CSharpLiterals.Float(t.Denoising.Value), "Probability of dropping each non-zero of a sparse input while training", t.Denoising);
        Add(names, "Shuffle", "train.shuffle", OptionType.Bool, CSharpLiterals.Bool(t.Shuffle), $"Shuffle the rows every epoch; default {CSharpLiterals.Bool(t.Shuffle)} from the file", tunable: null);
        Add(names, "Seed", "train.seed", OptionType.UInt64, CSharpLiterals.ULong(unchecked((ulong)t.Seed)),
            $"Seed of every random draw (initialisation, shuffling, dropout, denoising); default {t.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)} from the file", tunable: null);
        if (t.SparsenessPenalty is { } penalty)
        {
            Add(names, "SparsenessP", "train.sparseness_penalty.p", OptionType.Float, CSharpLiterals.Float(penalty.P.Value), "Target mean activation p of the KL sparseness penalty", penalty.P);
            Add(names, "SparsenessBeta", "train.sparseness_penalty.beta", OptionType.Float, CSharpLiterals.Float(penalty.Beta.Value), "Weight β of the KL sparseness penalty", penalty.Beta);
        }
    }

    private void Add(MemberNames names, string property, string path, OptionType type, string literal, string summary, Tunable? tunable) =>
        AddInfo(new OptionInfo(names.Take(property, "Option"), path, type, literal, Describe(summary, tunable)));

    private void AddInfo(OptionInfo option)
    {
        _byPath.Add(option.Path, option);
        _all.Add(option);
    }

    private static string Describe(string summary, Tunable? tunable)
    {
        var text = summary;
        if (tunable is not null) text += "; default " + CSharpLiterals.Number(tunable.Value) + " from the file";
        if (tunable?.Range is { } range) text += ", searched over " + DnetSpelling.Of(range);
        return text + ".";
    }
}
