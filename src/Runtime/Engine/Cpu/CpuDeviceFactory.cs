using DestinyDsl.Runtime.Engine.Devices;

namespace DestinyDsl.Runtime.Engine.Cpu;

/// <summary>The default: every shard computes on the host with the generated SIMD kernels.</summary>
internal sealed class CpuDeviceFactory : IDeviceFactory
{
    public static CpuDeviceFactory Instance { get; } = new();

    public IShardDevice Create(int shard, int localIndex, ModelDeviceRequest request) => new CpuDevice(request.CpuKernels);
}
