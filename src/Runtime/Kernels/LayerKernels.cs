using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Kernels;

/// <summary>Kernels of one non-input layer, closed over its generated ops struct. Only the runtime derives from it.</summary>
public abstract class LayerKernels
{
    private protected LayerKernels()
    {
    }
}

/// <summary>A hidden layer: fused bias + activation + dropout forward, fused derivative + penalty + dropout backward.</summary>
public sealed class HiddenLayerKernels<TOps> : LayerKernels
    where TOps : struct, IHiddenLayerOps
{
}

/// <summary>An output layer: fused bias + activation forward, fused loss + delta reading targets directly.</summary>
public sealed class OutputLayerKernels<TOps> : LayerKernels
    where TOps : struct, IOutputLayerOps
{
}

/// <summary>The optimizer update. Only the runtime derives from it.</summary>
public abstract class UpdateKernels
{
    private protected UpdateKernels()
    {
    }
}

/// <summary>The optimizer update closed over the generated rule, fused into the weight-gradient products.</summary>
public sealed class UpdateKernels<TRule> : UpdateKernels
    where TRule : struct, IUpdateRule
{
}
