namespace DestinyDsl.Runtime.Kernels.Fusion;

/// <summary>
/// The fused output step, emitted by the generator per output layer: reads the activated output row and the
/// (sparse or dense) target directly, returns the row's loss and writes dL/dz (activation derivative folded in).
/// </summary>
public interface IOutputKernel
{
    /// <summary>Loss of one row slice and its delta dL/dz (unscaled by batch size).</summary>
    static abstract double LossAndDelta(ReadOnlySpan<float> activation, Span<float> delta, in TargetRow target);

    /// <summary>Loss of one row slice only (evaluation).</summary>
    static abstract double Loss(ReadOnlySpan<float> activation, in TargetRow target);
}
