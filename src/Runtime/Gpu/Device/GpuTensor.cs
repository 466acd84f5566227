using DestinyDsl.Runtime.Engine.Devices;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>A buffer in device memory (allocated once per model: ILGPU has no pool and cuMemAlloc is slow).</summary>
internal sealed class GpuTensor : DeviceTensor, IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _buffer;
    private readonly DeviceMemory _memory;

    public GpuTensor(Accelerator accelerator, DeviceMemory memory, long length)
    {
        // ILGPU refuses empty buffers; an empty tensor keeps one unused float.
        memory.Reserve(Math.Max(1, length) * sizeof(float), $"a tensor of {length} floats");
        _memory = memory;
        _buffer = accelerator.Allocate1D<float>(Math.Max(1, length));
        Length = length;
    }

    public override long Length { get; }

    /// <summary>The whole buffer (including the spare float of an empty tensor).</summary>
    public ArrayView<float> View => _buffer.View;

    /// <summary>The floats from <paramref name="offset"/> to the end.</summary>
    public ArrayView<float> From(long offset) => _buffer.View.SubView(offset, Math.Max(1, _buffer.Length - offset));

    public void Dispose()
    {
        _memory.Release(_buffer.Length * sizeof(float));
        _buffer.Dispose();
    }
}
