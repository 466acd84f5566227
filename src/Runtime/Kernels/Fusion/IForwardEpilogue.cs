namespace DestinyDsl.Runtime.Kernels.Fusion;

/// <summary>
/// The fused forward step of one layer, emitted by the generator per layer: <c>a = act(z + bias)</c> in place,
/// and, when the layer has dropout, <c>dropped = a ⊙ mask</c> (the tensor the next layers read).
/// Applied to one row segment of the layer's product while it is still in cache.
/// </summary>
/// <remarks>
/// Softmax layers only add the bias here: the engine normalises whole rows afterwards (across shards).
/// Implementations are stateless structs; the JIT specialises the runtime's generic kernels over them.
/// </remarks>
public interface IForwardEpilogue
{
    /// <param name="z">Pre-activation row segment; overwritten with the activation.</param>
    /// <param name="bias">Bias values aligned with <paramref name="z"/>.</param>
    /// <param name="dropoutMask">Mask aligned with <paramref name="z"/> (0 or 1/(1-p)); empty when the layer has no dropout.</param>
    /// <param name="dropped">Receives <c>a ⊙ mask</c>; empty when the layer has no dropout.</param>
    static abstract void Apply(Span<float> z, ReadOnlySpan<float> bias, ReadOnlySpan<float> dropoutMask, Span<float> dropped);
}
