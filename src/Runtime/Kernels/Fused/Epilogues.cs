using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>A hidden layer's forward step inside the GEMM that produces it: bias, activation, dropout mask.</summary>
internal readonly struct HiddenForwardEpilogue<TOps>(float[] bias, DropoutMask mask) : IGemmEpilogue
    where TOps : struct, IHiddenLayerOps
{
    public void Apply(int row, int column, Span<float> segment)
    {
        FusedActivation<TOps>.BiasActivate(segment, bias.AsSpan(column, segment.Length));
        if (TOps.HasDropout && mask.IsActive) mask.Apply(segment, row, column);
    }
}

/// <summary>
/// An output layer's forward step inside the GEMM that produces it: bias and activation, and — when training an
/// element-wise (non-softmax) output — the delta read straight from the targets while the segment is in cache, and
/// (with <paramref name="partials"/>) the loss of the segment's whole chunks, so no later pass reads the output again.
/// </summary>
internal readonly struct OutputForwardEpilogue<TOps>(float[] bias, float[]? delta, BatchTargets? targets, LossParameters loss, LossPartials? partials) : IGemmEpilogue
    where TOps : struct, IOutputLayerOps
{
    public void Apply(int row, int column, Span<float> segment)
    {
        FusedActivation<TOps>.BiasActivate(segment, bias.AsSpan(column, segment.Length));
        if (delta is not null && !TOps.IsSoftmax)
        {
            FusedOutput<TOps>.Delta(segment, delta.AsSpan((row * bias.Length) + column, segment.Length), targets!, row, column, loss);
            if (partials is not null) FusedOutput<TOps>.SegmentLoss(segment, targets!, row, column, bias.Length, loss, partials);
        }
    }
}

/// <summary>
/// Consumes a finished gradient segment of a weight block (row = block row, column = block column) by applying the
/// optimizer to the weights and state it covers: the gradient is never stored.
/// </summary>
internal readonly struct WeightUpdateSink<TRule>(float[] weights, float[] state1, float[] state2, int ld, UpdateContext context) : IGemmEpilogue
    where TRule : struct, IUpdateRule
{
    public void Apply(int row, int column, Span<float> segment)
    {
        var at = ((long)row * ld) + column;
        var w = weights.AsSpan((int)at, segment.Length);
        var s1 = TRule.StateCount >= 1 ? state1.AsSpan((int)at, segment.Length) : default;
        var s2 = TRule.StateCount >= 2 ? state2.AsSpan((int)at, segment.Length) : default;
        FusedUpdate<TRule>.Apply(w, segment, s1, s2, context);
    }
}
