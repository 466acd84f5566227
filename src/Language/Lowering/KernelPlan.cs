using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Lowering;

/// <summary>
/// The fused kernels of one network, independent of any backend: per non-input layer what its forward, backward
/// and output kernels compute, and the optimizer's update rule. The C# emitter turns it into ops structs for the
/// runtime's generic CPU kernels; a CUDA C emitter can print the same formulas as device functions.
/// </summary>
/// <remarks>Immutable records with structural equality (safe in the incremental pipeline); layer indices match
/// <see cref="NetworkModel.Layers"/>.</remarks>
public sealed record KernelPlan(string NetworkName, EquatableArray<LayerPlan> Layers, UpdatePlan Update);

/// <summary>Role of a non-input layer in the kernel plan.</summary>
public enum LayerRole { Hidden, Output }

/// <summary>How a source's activations reach a layer.</summary>
public enum EdgeKind
{
    /// <summary>The source is a sparse input: the product is a gather-sum of weight rows of the active features.</summary>
    SparseGather,

    /// <summary>A dense matrix product (GEMM) of the source's activations and the edge's weights.</summary>
    DenseGemm,
}

/// <summary>One incoming edge of a layer: the source layer (name and index) and how it is multiplied.</summary>
public sealed record EdgePlan(string Source, int SourceIndex, EdgeKind Kind)
{
    /// <summary>
    /// For a tied edge (<c>tied(a -&gt; Source)</c>): the source <c>a</c> of the edge a → Source whose weights it uses
    /// transposed (a dense product with the owner's block, <c>Source·Wᵀ</c>); null for an edge with its own weights.
    /// The layer's fused kernels are the same either way: only the product differs, and the runtime runs it.
    /// </summary>
    public string? TiedOwnerSource { get; init; }
}

/// <summary>
/// The activation of a layer. Element-wise activations carry <see cref="Activate"/> (<c>a = f(z)</c>, input
/// <c>z</c>) and <see cref="Derivative"/> (<c>f'</c> through <c>a</c>, input <c>a</c>), with the file's constants
/// written in; row-wise softmax has neither (the runtime normalises whole rows, across shards).
/// </summary>
public sealed record ActivationPlan(ActivationKind Kind, bool IsRowWise, Formula? Activate, Formula? Derivative);

/// <summary>
/// Forward kernel of a layer: <c>z = Σ_edges source·W + b</c>, <c>a = f(z)</c>, then the dropout mask when
/// <see cref="HasDropout"/>; bias, activation and mask are applied in the epilogue of the last product.
/// </summary>
public sealed record ForwardPlan(EquatableArray<EdgePlan> Edges, bool HasBias, ActivationPlan Activation, bool HasDropout);

/// <summary>
/// Backward epilogue of a hidden layer: <c>δz = ((δã + penalty) ⊙ m) ⊙ f'(a)</c>, with the KL sparseness penalty
/// when <see cref="HasSparsenessPenalty"/> and the dropout mask when <see cref="HasDropout"/>.
/// </summary>
public sealed record BackwardPlan(bool HasSparsenessPenalty, bool HasDropout);

/// <summary>How an output layer's delta is formed.</summary>
public enum DeltaForm
{
    /// <summary><c>∂ℓ/∂a · f'(a)</c> written out (element-wise activation, no known simplification).</summary>
    Folded,

    /// <summary>A known pair simplified analytically (sigmoid with a cross-entropy: <c>a − t</c> style, no division by <c>f'</c>).</summary>
    Simplified,

    /// <summary>Softmax: <c>a · ∂ℓ/∂a</c> (simplified where known); the runtime applies the row Jacobian.</summary>
    SoftmaxScaled,

    /// <summary>Softmax with a known simplification of <c>a · ∂ℓ/∂a</c> (cross entropy: <c>−t</c>).</summary>
    SoftmaxScaledSimplified,
}

/// <summary>
/// Output kernel of an output layer: the element loss <see cref="Loss"/> (inputs <c>a</c>, <c>t</c>) and the
/// element delta <see cref="Delta"/> in the form <see cref="Form"/>, reading targets directly.
/// </summary>
public sealed record OutputPlan(LossKind LossKind, DeltaForm Form, Formula Loss, Formula Delta, bool SparseTargets, string Target);

/// <summary>
/// A non-input layer's kernels. <see cref="Backward"/> is set for hidden layers, <see cref="Output"/> for outputs.
/// <see cref="Line"/> is the zero-based line of the layer's declaration.
/// </summary>
public sealed record LayerPlan(string Name, int Index, LayerRole Role, ForwardPlan Forward, BackwardPlan? Backward, OutputPlan? Output, int Line);

/// <summary>
/// The optimizer update applied to every parameter block: <see cref="Rule"/> assigns the registers <c>w</c>,
/// <c>s1</c>, <c>s2</c> from <c>g</c> (the batch-summed gradient) and run-time parameters. It starts with the
/// decayed mean gradient <c>g ← g·(1/B) + λ₂w + λ₁ sign(w)</c>. <see cref="Name"/> says what it does
/// (<c>SgdMomentum</c>, <c>RmsProp</c>…).
/// </summary>
public sealed record UpdatePlan(OptimizerKind Kind, string Name, int StateCount, bool HasMomentum, Formula Rule);
