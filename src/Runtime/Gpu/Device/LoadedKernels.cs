using DestinyDsl.Runtime.Gpu.Kernels;
using DestinyDsl.Runtime.Kernels.Fusion;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>
/// A network's generated kernels compiled for one accelerator (once per model and device: ILGPU compiles on first
/// load and caches). Launchers take the stream first, then the launch extent.
/// </summary>
internal sealed class LoadedKernels
{
    public LoadedKernels(Accelerator accelerator, GpuKernelSet set)
    {
        Layers = set.Layers.Select(l => l is null ? null : new Layer(accelerator, l)).ToArray();
        UpdateStateCount = set.Update.StateCount;
        DenseUpdate = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, UpdateContext>>(set.Update.Dense));
        SparseUpdate = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, SparseArgs, ArrayView<int>, ArrayView<float>, int, UpdateContext>>(set.Update.Sparse));
    }

    public Layer?[] Layers { get; }

    public int UpdateStateCount { get; }

    public Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, UpdateContext> DenseUpdate { get; }

    public Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, SparseArgs, ArrayView<int>, ArrayView<float>, int, UpdateContext> SparseUpdate { get; }

    /// <summary>A generated kernel method as the Action type ILGPU's loaders take.</summary>
    private static TAction As<TAction>(Delegate kernel) where TAction : Delegate
    {
        if (!kernel.Method.IsStatic) throw new ArgumentException($"GPU kernel {kernel.Method.Name} must be a static method.");
        return kernel.Method.CreateDelegate<TAction>();
    }

    /// <summary>One layer's loaded kernels.</summary>
    internal sealed class Layer
    {
        public Layer(Accelerator accelerator, GpuLayerKernels kernels)
        {
            Epilogue = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, ArrayView<float>, int, ArrayView<float>, DropoutArgs>>(kernels.Epilogue));
            if (kernels.SparseForward is { } sparse)
                SparseForward = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, SparseArgs, ArrayView<float>, int, ArrayView<float>, int, int, int, ArrayView<float>, DropoutArgs>>(sparse));
            if (kernels is GpuHiddenKernels hidden)
                Backward = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<float>, int, DropoutArgs>>(hidden.Backward));
            if (kernels is GpuOutputKernels output)
            {
                Delta = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, int, TargetArgs, LossParameters>>(output.Delta));
                Loss = accelerator.LoadKernel(As<Action<ArrayView<float>, int, int, TargetArgs, LossParameters, ArrayView<double>>>(output.Loss));
                if (output.EpilogueDeltaLoss is { } fused)
                    EpilogueDeltaLoss = accelerator.LoadKernel(As<Action<ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>, TargetArgs, LossParameters, ArrayView<double>>>(fused));
            }
        }

        public Action<AcceleratorStream, Index1D, ArrayView<float>, int, ArrayView<float>, DropoutArgs> Epilogue { get; }

        public Action<AcceleratorStream, Index1D, SparseArgs, ArrayView<float>, int, ArrayView<float>, int, int, int, ArrayView<float>, DropoutArgs>? SparseForward { get; }

        public Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<float>, int, DropoutArgs>? Backward { get; }

        public Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, int, TargetArgs, LossParameters>? Delta { get; }

        public Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, TargetArgs, LossParameters, ArrayView<double>>? Loss { get; }

        public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>, TargetArgs, LossParameters, ArrayView<double>>? EpilogueDeltaLoss { get; }
    }
}
