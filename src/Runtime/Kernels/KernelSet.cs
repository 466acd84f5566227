using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// The fused kernels of one network, built by generated code: one entry per layer of the spec (null for input
/// layers, which need none) and the optimizer update. Each entry is a runtime kernel class closed over the
/// generated ops struct of that layer, so the JIT compiles every layer's loops with its own formulas inlined.
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
