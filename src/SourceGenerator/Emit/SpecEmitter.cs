using DestinyDsl.Language.Model;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>
/// Writes <c>CreateSpec</c> (the runtime's <c>NetworkSpec</c>: file values as literals, tunable settings read from
/// the options, widths from the constructor) and the search space as data.
/// </summary>
internal static class SpecEmitter
{
    private const string O = "o";

    public static void WriteSearchSpace(CodeWriter w, NetworkEmitContext x)
    {
        w.SummaryXml("Every <c>tune(...)</c>/<c>choice(...)</c> of the network, for Bayesian optimisation; each path is accepted by the options' <c>Set</c>/<c>Get</c>.");
        var space = x.Network.SearchSpace;
        if (space.Count == 0)
        {
            w.Line($"public static {RuntimeTypes.SearchSpace} SearchSpace {{ get; }} = {RuntimeTypes.SearchSpace}.Empty;");
            return;
        }

        w.Line($"public static {RuntimeTypes.SearchSpace} SearchSpace {{ get; }} = new {RuntimeTypes.SearchSpace}(new {RuntimeTypes.SearchDimension}[]");
        w.Open();
        foreach (var p in space) w.Line(Dimension(p) + ",");
        w.Close("});");
    }

    private static string Dimension(SearchParameter p)
    {
        var path = CSharpLiterals.String(p.Path);
        var value = CSharpLiterals.Double(p.Default);
        switch (p.Range)
        {
            case ContinuousRange c:
                return $"new {RuntimeTypes.SearchDimension}({path}, {value}, {CSharpLiterals.Double(c.Low)}, {CSharpLiterals.Double(c.High)}, Log: {CSharpLiterals.Bool(c.Log)}, Integer: {CSharpLiterals.Bool(c.Integer)})";
            case ChoiceRange c when c.Choices.Count > 0:
                var choices = string.Join(", ", c.Choices.Select(CSharpLiterals.Double));
                var integer = c.Choices.All(v => v == Math.Floor(v));
                return $"new {RuntimeTypes.SearchDimension}({path}, {value}, {CSharpLiterals.Double(c.Choices.Min())}, {CSharpLiterals.Double(c.Choices.Max())}, Log: false, Integer: {CSharpLiterals.Bool(integer)}, Choices: new double[] {{ {choices} }})";
            default:
                throw new InvalidOperationException($"Search dimension '{p.Path}' has no usable range ({p.Range}).");
        }
    }

    public static void WriteCreateSpec(CodeWriter w, NetworkEmitContext x)
    {
        var n = x.Network;
        var parameters = new[] { $"{x.OptionsClassName} {O}" }.Concat(x.WidthParameters.Select(p => "int " + p));
        w.Line($"private static {RuntimeTypes.NetworkSpec} CreateSpec({string.Join(", ", parameters)})");
        w.Open();
        foreach (var a in x.AutoWidths)
            w.Line($"if ({a.Parameter} <= 0) throw new global::System.ArgumentOutOfRangeException(nameof({a.Parameter}), {a.Parameter}, {CSharpLiterals.String($"The width of '{a.Layer.Name}' must be positive.")});");
        foreach (var t in x.TunedWidths)
            w.Line($"if ({t.Parameter} <= 0) throw new global::System.ArgumentOutOfRangeException(nameof({t.Parameter}), {t.Parameter}, {CSharpLiterals.String($"The width of '{t.Layer.Name}' ({x.OptionsClassName}.{t.Option.Property}) must be positive.")});");
        w.Line($"return new {RuntimeTypes.NetworkSpec}(");
        w.Line($"    Name: {CSharpLiterals.String(n.Name)},");
        w.Line("    SourceHash: NetworkHash,");
        w.Line($"    Layers: new {RuntimeTypes.LayerSpec}[]");
        w.Line("    {");
        var linePath = CSharpLiterals.LineDirectivePath(x.FilePath);
        foreach (var layer in n.Layers)
        {
            // Map the layer's spec to its declaration: stepping into CreateSpec (and any C# error here) lands on the .dnet line.
            if (linePath is not null) w.Directive($"#line {layer.Line + 1} {linePath}");
            w.Line("        " + Layer(x, layer) + ",");
        }
        if (linePath is not null) w.Directive("#line default");
        w.Line("    },");
        w.Line($"    Loss: {Loss(x)},");
        w.Line($"    Optimizer: {Optimizer(x)},");
        w.Line($"    Training: {Training(x)});");
        w.Close();
    }

    private static string Layer(NetworkEmitContext x, LayerModel l)
    {
        var a = l.Activation;
        var activation = $"new {RuntimeTypes.ActivationSpec}({RuntimeTypes.Specs}.ActivationKind.{a.Kind}, {CSharpLiterals.Float(a.Slope)}, {CSharpLiterals.Float(a.Alpha)}, {CSharpLiterals.Float(a.Lambda)})";
        var sources = l.Sources.Count == 0
            ? "global::System.Array.Empty<string>()"
            : "new string[] { " + string.Join(", ", l.Sources.Select(CSharpLiterals.String)) + " }";
        var target = l.Target is null ? "null" : CSharpLiterals.String(l.Target);
        var dropout = x.Options.Find(l.Name + ".dropout") is { } option ? $"{O}.{option.Property}" : CSharpLiterals.Float(l.Dropout.Value);
        var init = $"new {RuntimeTypes.InitSpec}({RuntimeTypes.Specs}.InitScheme.{l.Init.Scheme}, {CSharpLiterals.Float(l.Init.Scale)})";
        return $"new {RuntimeTypes.LayerSpec}({CSharpLiterals.String(l.Name)}, {RuntimeTypes.Specs}.LayerKind.{l.Kind}, {x.WidthExpression(l)}, Sparse: {CSharpLiterals.Bool(l.Sparse)}, "
            + $"{activation}, {sources}, Target: {target}, Dropout: {dropout}, {init}, BiasInit: {CSharpLiterals.Float(l.BiasInit)}, MaxNorm: {CSharpLiterals.Float(l.MaxNorm)}{BatchNorm(l)})"
            + (l.Tied is { } tied ? $" {{ Tied = new {RuntimeTypes.TiedEdgeSpec}({CSharpLiterals.String(tied.Source)}, {CSharpLiterals.String(tied.Target)}) }}" : string.Empty);
    }

    /// <summary>The batch_norm argument, written only for a layer that has one (other layers' specs stay as they were).</summary>
    private static string BatchNorm(LayerModel l) => l.BatchNorm is { } bn
        ? $", BatchNorm: new {RuntimeTypes.BatchNormSpec}({CSharpLiterals.Float(bn.Momentum)}, {CSharpLiterals.Float(bn.Epsilon)})"
        : "";

    private static string Loss(NetworkEmitContext x)
    {
        var loss = x.Network.Loss;
        return $"new {RuntimeTypes.LossSpec}({RuntimeTypes.Specs}.LossKind.{loss.Kind}, "
            + $"{Value(x, "loss.one_target", loss.OneTarget)}, {Value(x, "loss.zero_target", loss.ZeroTarget)}, "
            + $"{Value(x, "loss.one_scale", loss.OneScale)}, {Value(x, "loss.zero_scale", loss.ZeroScale)})";
    }

    private static string Optimizer(NetworkEmitContext x)
    {
        var o = x.Network.Optimizer;
        var momentum = x.Options.Find("optimizer.momentum") is { } m ? $"{O}.{m.Property}" : "0f";
        return $"new {RuntimeTypes.OptimizerSpec}({RuntimeTypes.Specs}.OptimizerKind.{o.Kind}, {Value(x, "optimizer.learning_rate", o.LearningRate)}, "
            + $"Momentum: {momentum}, Decay: {Value(x, "optimizer.decay", o.Decay)}, Beta1: {Value(x, "optimizer.beta1", o.Beta1)}, Beta2: {Value(x, "optimizer.beta2", o.Beta2)}, "
            + $"Epsilon: {Value(x, "optimizer.epsilon", o.Epsilon)}, WeightDecay: {Value(x, "optimizer.weight_decay", o.WeightDecay)}, L1Decay: {Value(x, "optimizer.l1_decay", o.L1Decay)}"
            + (o.Schedule is null ? ")" : $", Schedule: {Schedule(x)})");
    }

    /// <summary>The schedule, its numbers read from the options; cosine without a period spans the training's epochs.</summary>
    private static string Schedule(NetworkEmitContext x)
    {
        var s = x.Network.Optimizer.Schedule!;
        string Option(string argument) => $"{O}.{x.Options.Find("optimizer.schedule." + argument)!.Property}";
        var arguments = new List<string> { $"{RuntimeTypes.Specs}.ScheduleKind.{s.Kind}" };
        switch (s.Kind)
        {
            case ScheduleKind.Step:
                arguments.Add("Every: " + Option("every"));
                arguments.Add("Factor: " + Option("factor"));
                break;
            case ScheduleKind.Exponential:
                arguments.Add("Factor: " + Option("factor"));
                break;
            case ScheduleKind.InverseTime:
                arguments.Add("Decay: " + Option("decay"));
                break;
            case ScheduleKind.Cosine:
                arguments.Add("Epochs: " + (s.Epochs is null ? $"{O}.{x.Options.Find("train.epochs")!.Property}" : Option("epochs")));
                arguments.Add("MinFactor: " + Option("min_factor"));
                break;
        }
        arguments.Add("WarmupEpochs: " + Option("warmup"));
        arguments.Add("WarmupStart: " + Option("warmup_start"));
        return $"new {RuntimeTypes.LearningRateScheduleSpec}({string.Join(", ", arguments)})";
    }

    private static string Training(NetworkEmitContext x)
    {
        var t = x.Network.Training;
        string Option(string path) => $"{O}.{x.Options.Find(path)!.Property}";
        var penalty = t.SparsenessPenalty is null
            ? "SparsenessP: 0f, SparsenessBeta: 0f"
            : $"SparsenessP: {Option("train.sparseness_penalty.p")}, SparsenessBeta: {Option("train.sparseness_penalty.beta")}";
        return $"new {RuntimeTypes.TrainingSpec}({Option("train.batch")}, {Option("train.epochs")}, {Option("train.denoising")}, {Option("train.shuffle")}, {Option("train.seed")}, {penalty})";
    }

    /// <summary>The option's property when the network exposes the setting, else the file's value as a literal.</summary>
    private static string Value(NetworkEmitContext x, string path, Tunable value) =>
        x.Options.Find(path) is { } option ? $"{O}.{option.Property}" : CSharpLiterals.Float(value.Value);
}
