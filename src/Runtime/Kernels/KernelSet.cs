using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// The fused kernels of one network, built by generated code: one entry per layer of the spec (null for
/// input layers, which need none) and the optimizer update. The engine calls them; the JIT specialises the
/// generic kernel classes over the generated structs, so each network runs code made for it.
/// </summary>
public sealed class KernelSet
{
    /// <summary>Creates the set. <paramref name="layers"/> is indexed like <see cref="Specs.NetworkSpec.Layers"/>.</summary>
    public KernelSet(IReadOnlyList<LayerKernels?> layers, UpdateKernels update)
    {
        Layers = layers ?? throw new ArgumentNullException(nameof(layers));
        Update = update ?? throw new ArgumentNullException(nameof(update));
    }

    /// <summary>Per-layer kernels, indexed like the spec's layers.</summary>
    public IReadOnlyList<LayerKernels?> Layers { get; }

    /// <summary>The optimizer update applied to every parameter block.</summary>
    public UpdateKernels Update { get; }
}

/// <summary>Kernels of one non-input layer. The engine owns the concrete members.</summary>
public abstract class LayerKernels
{
}

/// <summary>A hidden layer: fused forward epilogue and fused backward epilogue.</summary>
public sealed class HiddenLayerKernels<TForward, TBackward> : LayerKernels
    where TForward : struct, IForwardEpilogue
    where TBackward : struct, IBackwardEpilogue
{
}

/// <summary>An output layer: fused forward epilogue and fused loss + delta.</summary>
public sealed class OutputLayerKernels<TForward, TOutput> : LayerKernels
    where TForward : struct, IForwardEpilogue
    where TOutput : struct, IOutputKernel
{
}

/// <summary>The optimizer update. The engine owns the concrete members.</summary>
public abstract class UpdateKernels
{
}

/// <summary>The optimizer update specialised over a generated rule.</summary>
public sealed class UpdateKernels<TRule> : UpdateKernels
    where TRule : struct, IUpdateRule
{
}
