namespace DestinyDsl.Runtime.Kernels.Fusion;

/// <summary>
/// The fused backward step of a hidden layer, emitted by the generator per layer. On entry <c>delta</c>
/// holds dL/d(output of the layer) (after dropout); on exit it holds dL/dz:
/// <c>delta = ((delta ⊙ mask) + penalty) ⊙ act'(a)</c>.
/// </summary>
public interface IBackwardEpilogue
{
    /// <param name="delta">Row segment of the incoming delta; overwritten with dL/dz.</param>
    /// <param name="activation">The layer's activation (before dropout) aligned with <paramref name="delta"/>.</param>
    /// <param name="dropoutMask">Dropout mask, or empty when the layer has no dropout.</param>
    /// <param name="sparsenessPenalty">Per-unit penalty gradient, or empty when the layer has no sparseness penalty.</param>
    static abstract void Apply(Span<float> delta, ReadOnlySpan<float> activation, ReadOnlySpan<float> dropoutMask, ReadOnlySpan<float> sparsenessPenalty);
}
