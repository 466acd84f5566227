using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Kernels.Fusion;

/// <summary>
/// The activation of one layer, emitted by the generator as a struct whose members are the layer's formulas
/// (constants such as a leaky-ReLU slope are written into them). The runtime's fused kernels are generic over
/// the struct, so the JIT compiles each layer's loops with its formulas inlined.
/// </summary>
public interface IActivationOps
{
    /// <summary>
    /// True for softmax: the activation normalises whole rows (across shards), so the runtime computes it and
    /// <see cref="Activate{TV}"/>/<see cref="Derivative{TV}"/> are not used.
    /// </summary>
    static abstract bool IsSoftmax { get; }

    /// <summary><c>a = f(z)</c>, element-wise.</summary>
    static abstract TV Activate<TV>(TV z) where TV : struct, ISimd<TV>;

    /// <summary><c>f'(z)</c> expressed through the activation's output <c>a = f(z)</c> (all the backward pass keeps).</summary>
    static abstract TV Derivative<TV>(TV a) where TV : struct, ISimd<TV>;
}

/// <summary>
/// A hidden layer's fused ops. Forward (one pass over each row segment, inside the GEMM epilogue where possible):
/// <c>a = f(z + b)</c>, then <c>ã = a ⊙ m</c> when <see cref="HasDropout"/> (mask regenerated from a counter-based
/// RNG, never stored). Backward: <c>δz = ((δã + penalty) ⊙ m) ⊙ f'(a)</c>, the penalty term present when
/// <see cref="HasSparsenessPenalty"/>.
/// </summary>
/// <remarks>The flags are compile-time constants to the JIT: code for absent features is removed.</remarks>
public interface IHiddenLayerOps : IActivationOps
{
    /// <summary>The layer declares <c>dropout(p)</c>.</summary>
    static abstract bool HasDropout { get; }

    /// <summary>The network's <c>sparseness_penalty</c> applies to this layer.</summary>
    static abstract bool HasSparsenessPenalty { get; }
}

/// <summary>
/// An output layer's fused ops: activation, loss and delta in one pass that reads the targets directly (sparse
/// targets: one pass treating every target as 0, then a correction at the non-zeros; never densified).
/// </summary>
public interface IOutputLayerOps : IActivationOps
{
    /// <summary>The element loss <c>ℓ(a, t)</c>.</summary>
    static abstract TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>;

    /// <summary>
    /// The element delta. Element-wise activations: <c>∂ℓ/∂z = ℓ'(a, t)·f'(a)</c>, folded and simplified by the
    /// generator (sigmoid with cross entropy gives <c>a − t</c>). Softmax: <c>a·∂ℓ/∂a</c>; the runtime applies the
    /// softmax Jacobian (<c>δz = u − a·Σu</c>) with the row sum all-reduced across shards.
    /// </summary>
    static abstract TV Delta<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>;
}

/// <summary>Runtime values of the loss's parameters (they can be tuned, so they are not compile-time constants).</summary>
public readonly record struct LossParameters(float OneTarget, float ZeroTarget, float OneScale, float ZeroScale);
