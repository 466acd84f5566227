using DestinyDsl.Runtime.Gpu.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>Small kernels the device needs beyond the library: a dense input's dropout mask.</summary>
internal static class DeviceKernels
{
    /// <summary>values[i] ⊙= mask(i / n, i % n).</summary>
    public static void ApplyMaskKernel(Index1D i, ArrayView<float> values, int n, DropoutArgs mask)
        => values[i] *= mask.At(i / n, i % n);
}

/// <summary>The device kernels loaded on one accelerator.</summary>
internal sealed class LoadedDeviceKernels(Accelerator accelerator)
{
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, int, DropoutArgs> _applyMask =
        accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, DropoutArgs>(DeviceKernels.ApplyMaskKernel);

    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, SparseArgs, int, ArrayView<int>, ArrayView<float>, ArrayView<int>> _topK =
        accelerator.LoadKernel<ArrayView<float>, int, int, SparseArgs, int, ArrayView<int>, ArrayView<float>, ArrayView<int>>(Kernels.Library.TopKKernel.Select);

    public void ApplyMask(AcceleratorStream stream, ArrayView<float> values, int rows, int n, DropoutArgs mask) => _applyMask(stream, rows * n, values, n, mask);

    /// <summary>Each row's top k (one group per row, <paramref name="group"/> threads, a power of two).</summary>
    public void TopK(AcceleratorStream stream, int group, ArrayView<float> scores, int rows, int n, int k, SparseArgs exclude, bool hasExclude, ArrayView<int> indices, ArrayView<float> values, ArrayView<int> counts)
        => _topK(stream, new KernelConfig(rows, group), scores, n, k, exclude, hasExclude ? 1 : 0, indices, values, counts);
}
