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

    public void ApplyMask(AcceleratorStream stream, ArrayView<float> values, int rows, int n, DropoutArgs mask) => _applyMask(stream, rows * n, values, n, mask);
}
