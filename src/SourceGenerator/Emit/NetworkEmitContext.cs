using DestinyDsl.Language.Lowering;
using DestinyDsl.Language.Model;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>An <c>auto</c> input width: the constructor parameter that binds it and the field that keeps it.</summary>
internal sealed record AutoWidth(LayerModel Layer, string Parameter, string Field);

/// <summary>A tuned width: read from the options when the model is built and kept in a field after that.</summary>
internal sealed record TunedWidth(LayerModel Layer, OptionInfo Option, string Parameter, string Field);

/// <summary>An input layer as a typed-overload parameter.</summary>
internal sealed record InputParameter(LayerModel Layer, string Parameter, string MatrixType);

/// <summary>
/// Everything the emitters of one network share: the model, its kernel plan, and every C# name, chosen once
/// so that no two members collide with each other, with the runtime's base class or with C# keywords.
/// </summary>
internal sealed class NetworkEmitContext
{
    private static readonly string[] TypedOverloadParameters = { "options", "progress", "cancellationToken", "heldOut", "k", "row", "excludeSeen", "output", "settings", "devices" };

    public NetworkEmitContext(NetworkModel network, KernelPlan plan, string filePath, string generatorVersion)
    {
        Network = network;
        Plan = plan;
        FilePath = filePath;
        FileName = System.IO.Path.GetFileName(filePath);
        GeneratorVersion = generatorVersion;
        ClassName = CSharpNames.Escape(network.Name);
        OptionsClassName = CSharpNames.Escape(network.Name + "Options");

        var members = new MemberNames(RuntimeTypes.ModelMembers.Concat(new[] { network.Name, "Options", "SearchSpace", "NetworkHash", "Bind", "TuneAsync", "CreateSpec", "CreateKernels", "RegisterGpuKernels", "CreateGpuKernels" }));
        foreach (var layer in network.Layers) LayerMembers[layer.Name] = members.Take(CSharpNames.Pascal(layer.Name), "Layer");
        foreach (var layer in plan.Layers) OpsStructs[layer.Name] = members.Take(LayerMembers[layer.Name] + "Ops", "Struct");
        UpdateStruct = members.Take(plan.Update.Name + "Update", "Struct");
        // Taken after every name of the CPU file, so those never depend on whether the GPU file is generated.
        foreach (var layer in plan.Layers) GpuClasses[layer.Name] = members.Take(LayerMembers[layer.Name] + "Gpu", "Kernels");
        UpdateGpuClass = members.Take(plan.Update.Name + "Gpu", "Kernels");

        Options = new NetworkOptions(network, LayerMembers, network.Name + "Options");

        var parameters = new MemberNames(new[] { "options", "devices", "o" });
        foreach (var layer in network.Layers)
        {
            var camel = char.ToLowerInvariant(LayerMembers[layer.Name][0]) + LayerMembers[layer.Name].Substring(1);
            if (layer.Kind == LayerKind.Input && layer.Width.IsAuto)
            {
                var parameter = parameters.Take(camel + "Width", "Value");
                AutoWidths.Add(new AutoWidth(layer, CSharpNames.Escape(parameter), "_" + parameter));
            }
            else if (!layer.Width.IsAuto && layer.Width.Units.IsTuned)
            {
                var option = Options.Find(layer.Name + ".width")!;
                var parameter = parameters.Take(camel + "Width", "Value");
                TunedWidths.Add(new TunedWidth(layer, option, CSharpNames.Escape(parameter), "_" + parameter));
            }
        }

        var inputNames = new MemberNames(TypedOverloadParameters);
        foreach (var layer in network.Layers.Where(l => l.Kind == LayerKind.Input))
        {
            var camel = char.ToLowerInvariant(LayerMembers[layer.Name][0]) + LayerMembers[layer.Name].Substring(1);
            Inputs.Add(new InputParameter(layer, CSharpNames.Escape(inputNames.Take(camel, "Data")), layer.Sparse ? RuntimeTypes.SparseMatrix : RuntimeTypes.DenseMatrix));
        }
    }

    public NetworkModel Network { get; }
    public KernelPlan Plan { get; }
    public string FilePath { get; }
    public string FileName { get; }
    public string GeneratorVersion { get; }
    public string ClassName { get; }
    public string OptionsClassName { get; }
    public NetworkOptions Options { get; }

    /// <summary>Layer name → PascalCase member name (the typed layer property).</summary>
    public Dictionary<string, string> LayerMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Non-input layer name → its ops struct.</summary>
    public Dictionary<string, string> OpsStructs { get; } = new(StringComparer.Ordinal);

    public string UpdateStruct { get; }

    /// <summary>Non-input layer name → the static class holding its GPU kernels (<c>H1Gpu</c>).</summary>
    public Dictionary<string, string> GpuClasses { get; } = new(StringComparer.Ordinal);

    /// <summary>The static class holding the optimizer's GPU kernels (<c>RmsPropGpu</c>).</summary>
    public string UpdateGpuClass { get; }
    public List<AutoWidth> AutoWidths { get; } = new();
    public List<TunedWidth> TunedWidths { get; } = new();
    public List<InputParameter> Inputs { get; } = new();

    /// <summary>The C# expression of a layer's width inside <c>CreateSpec</c> (literal, auto parameter, or tuned parameter).</summary>
    public string WidthExpression(LayerModel layer)
    {
        if (!layer.Width.IsAuto)
        {
            var tuned = TunedWidths.FirstOrDefault(t => t.Layer.Name == layer.Name);
            return tuned is not null ? tuned.Parameter : CSharpLiterals.Int(CSharpLiterals.ToInt32(layer.Width.Units.Value, layer.Name + ".width"));
        }

        var auto = AutoWidths.FirstOrDefault(a => a.Layer.Name == layer.Name);
        if (auto is not null) return auto.Parameter;
        if (layer.Kind == LayerKind.Output && layer.Target is { } target && target != layer.Name)
        {
            // An auto output takes its target's width.
            var targetLayer = Network.Layers.FirstOrDefault(l => l.Name == target)
                ?? throw new InvalidOperationException($"Output '{layer.Name}' targets unknown layer '{target}'.");
            if (targetLayer.Kind == LayerKind.Input) return WidthExpression(targetLayer);
        }
        throw new InvalidOperationException($"Layer '{layer.Name}' of network '{Network.Name}' is auto but is neither an input nor an output targeting an input.");
    }

    /// <summary>CreateSpec's parameters after the options: auto widths, then tuned widths.</summary>
    public IEnumerable<string> WidthParameters => AutoWidths.Select(a => a.Parameter).Concat(TunedWidths.Select(t => t.Parameter));

    /// <summary>CreateSpec's width arguments inside the model: the auto widths' fields, the tuned widths read from the options again.</summary>
    public IEnumerable<string> WidthFields => AutoWidths.Select(a => a.Field).Concat(TunedWidths.Select(t => "Options." + t.Option.Property));
}
