namespace DestinyDsl.Runtime.Kernels.Fusion;

/// <summary>
/// A one-pass optimizer update over a block of parameters: reads the raw (batch-summed) gradient,
/// scales it by <see cref="UpdateContext.GradientScale"/>, applies weight decay, updates state and weights.
/// </summary>
public interface IUpdateRule
{
    /// <summary>How many state buffers (each the size of the parameters) the rule keeps: 0, 1 or 2.</summary>
    static abstract int StateCount { get; }

    /// <summary>Updates <paramref name="weights"/> in place. Unused state spans are empty.</summary>
    static abstract void Update(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> state1, Span<float> state2, in UpdateContext context);
}
