namespace DestinyDsl.Runtime.Specs;

/// <summary>Activation and its parameters (slope: leaky_relu; alpha: elu and selu; lambda: selu).</summary>
public readonly record struct ActivationSpec(ActivationKind Kind, float Slope = 0.01f, float Alpha = 1f, float Lambda = 1.0507009873554805f);

/// <summary>Weight initialisation: scheme and scale (std for gaussian, bound for uniform and unit_ball, value for constant, multiplier for xavier).</summary>
public readonly record struct InitSpec(InitScheme Scheme, float Scale = 1f);

/// <summary>
/// A tie (<c>tied(Source -&gt; Target)</c> in the .dnet file): the layer's edge from <paramref name="Target"/> uses the
/// transpose of the weights of the edge <paramref name="Source"/> → <paramref name="Target"/>, which owns them (one
/// parameter tensor, its optimizer state and its checkpoint entry). docs/semantics.md, Tied weights.
/// </summary>
public sealed record TiedEdgeSpec(string Source, string Target);

/// <summary>
/// Batch normalisation of a hidden layer between its affine sum and its activation: PyTorch's
/// <c>nn.BatchNorm1d(width, eps = Epsilon, momentum = Momentum)</c> (docs/semantics.md).
/// </summary>
public sealed record BatchNormSpec(float Momentum = 0.1f, float Epsilon = 1e-5f);

/// <summary>
/// One layer as the runtime executes it. Widths are concrete (auto widths were bound when the model was built).
/// </summary>
/// <param name="Name">Layer name from the .dnet file (tensor names in checkpoints derive from it).</param>
/// <param name="Sources">Names of the layers summed into this one (empty for inputs).</param>
/// <param name="Target">For outputs: the input layer whose data is the training target.</param>
/// <param name="Dropout">Dropout probability (0 = none).</param>
/// <param name="BiasInit">Initial value of every bias.</param>
/// <param name="MaxNorm">Maximum L2 norm of each unit's incoming weight vector, enforced after every update (0 = off).</param>
/// <param name="BatchNorm">The hidden layer's batch normalisation, null for none.</param>
public sealed record LayerSpec(
    string Name,
    LayerKind Kind,
    int Width,
    bool Sparse,
    ActivationSpec Activation,
    IReadOnlyList<string> Sources,
    string? Target,
    float Dropout,
    InitSpec Init,
    float BiasInit,
    float MaxNorm,
    BatchNormSpec? BatchNorm = null)
{
    /// <summary>The edge whose weights this layer's edge from <see cref="TiedEdgeSpec.Target"/> reuses transposed, or null.</summary>
    public TiedEdgeSpec? Tied { get; init; }
}
