using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Kernels.Fusion;

/// <summary>
/// The optimizer, emitted by the generator as a struct holding its update formula. The runtime applies it in
/// one pass per parameter block, fused into the weight-gradient product (the gradient tile is consumed while in
/// cache and never written to memory).
/// </summary>
public interface IUpdateRule
{
    /// <summary>How many state tensors (each shaped like the parameters) the rule keeps: 0, 1 or 2.</summary>
    static abstract int StateCount { get; }

    /// <summary>
    /// Updates weights <paramref name="w"/> and state <paramref name="s1"/>, <paramref name="s2"/> in place from the
    /// batch-summed gradient <paramref name="g"/>. Implementations scale by <see cref="UpdateContext.GradientScale"/>
    /// and add weight decay (<c>λ₂·w + λ₁·sign(w)</c>) before the rule. Unused state registers are ignored.
    /// </summary>
    static abstract void Update<TV>(ref TV w, TV g, ref TV s1, ref TV s2, in UpdateContext c) where TV : struct, ISimd<TV>;
}
