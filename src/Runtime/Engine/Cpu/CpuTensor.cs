using DestinyDsl.Runtime.Engine.Devices;

namespace DestinyDsl.Runtime.Engine.Cpu;

/// <summary>A CPU buffer: a host array.</summary>
internal sealed class CpuTensor(float[] data) : DeviceTensor
{
    public float[] Data { get; } = data;

    public override long Length => Data.LongLength;
}

/// <summary>A CPU sparse batch: the host CSR itself.</summary>
internal sealed class CpuSparse : DeviceSparse
{
    public SparseBatch Batch { get; set; } = new();
}
