using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Gpu.Device;
using DestinyDsl.Runtime.Gpu.Kernels;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu;

/// <summary>
/// Makes each local shard's GPU device: shard i of this process takes the i-th GPU of the group (CUDA), or its own
/// CPU accelerator (the simulator). The network's generated kernels come from the registry its module initializer
/// filled.
/// </summary>
internal sealed class GpuDeviceFactory(Func<int, (Accelerator Accelerator, string Name)> openDevice, GpuOptions options) : IDeviceFactory
{
    public IShardDevice Create(int shard, int localIndex, ModelDeviceRequest request)
    {
        var kernels = GpuKernelRegistry.Find(request.ModelType, request.Spec.SourceHash)
            ?? throw new InvalidOperationException(
                $"'{request.ModelType.Name}' has no GPU kernels: the project that defines it must reference DestinyDsl.Runtime.Gpu " +
                "(the generator emits a network's ILGPU kernels only then, or when the MSBuild property DestinyDslGpuKernels is true).");
        var (accelerator, name) = openDevice(localIndex);
        try
        {
            return new GpuDevice(accelerator, ownsAccelerator: true, kernels, name, options);
        }
        catch
        {
            accelerator.Dispose();
            throw;
        }
    }
}
