namespace DestinyDsl.Language.Model;

/// <summary>Width of a layer: a number (possibly tunable) or <c>auto</c> (bound from data at construction).</summary>
/// <remarks>When <see cref="IsAuto"/> is true, <see cref="Units"/> is unused (0). An <c>auto</c> input is bound by a
/// constructor parameter; an <c>auto</c> output takes its target's width: the binder stores that width here when the
/// target's is a number, and leaves the output <c>auto</c> (bound with its target) when the target is <c>auto</c> too.</remarks>
public sealed record WidthModel(bool IsAuto, Tunable Units)
{
    /// <summary>The <c>auto</c> width.</summary>
    public static WidthModel Auto { get; } = new(true, Tunable.Fixed(0));
}

/// <summary>Activation with its parameters (slope for leaky_relu, alpha for elu, lambda/alpha for selu).</summary>
public sealed record ActivationModel(ActivationKind Kind, double Slope = 0.01, double Alpha = 1.0, double Lambda = 1.0507009873554805)
{
    /// <summary>The default activation when none is written (DSSTNE's default).</summary>
    public static ActivationModel Default { get; } = new(ActivationKind.Sigmoid);
}

/// <summary>Weight initialisation: scheme and its scale (std for gaussian, bound for uniform, value for constant).</summary>
public sealed record InitModel(InitScheme Scheme, double Scale = 1.0)
{
    /// <summary>Default initialisation (Xavier, scale 1).</summary>
    public static InitModel Default { get; } = new(InitScheme.Xavier);
}

/// <summary>
/// A tie: the layer's edge from <see cref="Target"/> uses the transpose of the weights of the edge
/// <see cref="Source"/> → <see cref="Target"/> (written <c>tied(Source -&gt; Target)</c>). One parameter tensor, owned by
/// that edge.
/// </summary>
public sealed record TiedEdgeModel(string Source, string Target);

/// <summary>
/// Batch normalisation of a hidden layer (PyTorch's <c>nn.BatchNorm1d(width, eps = Epsilon, momentum = Momentum)</c>)
/// between the affine sum and the activation; docs/semantics.md.
/// </summary>
public sealed record BatchNormModel(double Momentum = 0.1, double Epsilon = 1e-5);

/// <summary>One layer of a network, fully bound (sources resolved to layer names, defaults applied).</summary>
/// <remarks>Immutable, structural equality, no syntax or symbols. <see cref="Line"/> is zero-based (for #line mapping).
/// Inputs have a <c>linear</c> activation, no sources and the default init; <see cref="Dropout"/> 0, <see cref="MaxNorm"/>
/// 0 and <see cref="BiasInit"/> 0 mean "not written"; <see cref="BatchNorm"/> is null unless the layer has <c>batch_norm</c>.</remarks>
public sealed record LayerModel(
    string Name,
    LayerKind Kind,
    WidthModel Width,
    bool Sparse,
    ActivationModel Activation,
    EquatableArray<string> Sources,
    string? Target,
    Tunable Dropout,
    InitModel Init,
    double BiasInit,
    double MaxNorm,
    int Line,
    BatchNormModel? BatchNorm = null)
{
    /// <summary>The edge whose weights this layer's edge from <see cref="TiedEdgeModel.Target"/> reuses transposed, or null.</summary>
    public TiedEdgeModel? Tied { get; init; }
}
