using DestinyDsl.Runtime.Kernels;

namespace DestinyDsl.Runtime.Engine.Devices;

/// <summary>
/// Makes the device of each shard of a device group that lives in this process. The CPU factory is the default;
/// the GPU assembly provides one per kind of GPU group (every GPU of the host, chosen GPUs, one per MPI rank, the
/// simulator).
/// </summary>
internal interface IDeviceFactory
{
    /// <summary>The device of shard <paramref name="shard"/> (<paramref name="localIndex"/>-th in this process) for the model <paramref name="request"/> describes.</summary>
    IShardDevice Create(int shard, int localIndex, ModelDeviceRequest request);
}

/// <summary>What a device needs to know of the model: its generated class (to find its GPU kernels) and its CPU kernels.</summary>
internal sealed record ModelDeviceRequest(Type ModelType, Specs.NetworkSpec Spec, KernelSet CpuKernels);
