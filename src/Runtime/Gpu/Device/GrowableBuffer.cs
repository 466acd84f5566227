using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>A device buffer that grows (doubling) when a batch needs more room, and is otherwise reused.</summary>
internal sealed class GrowableBuffer<T>(Accelerator accelerator) : IDisposable
    where T : unmanaged
{
    private MemoryBuffer1D<T, Stride1D.Dense>? _buffer;

    /// <summary>A view of at least <paramref name="count"/> elements (at least one).</summary>
    public ArrayView<T> Ensure(long count)
    {
        if (_buffer is null || _buffer.Length < count)
        {
            _buffer?.Dispose();
            _buffer = accelerator.Allocate1D<T>(Math.Max(Math.Max(1, count), (_buffer?.Length ?? 0) * 2));
        }
        return _buffer.View;
    }

    /// <summary>Copies <paramref name="source"/> to the start of the buffer (growing it first) and returns its view.</summary>
    public ArrayView<T> Upload(AcceleratorStream stream, ReadOnlySpan<T> source)
    {
        var view = Ensure(source.Length);
        if (!source.IsEmpty) view.SubView(0, source.Length).CopyFromCPU(stream, ref System.Runtime.InteropServices.MemoryMarshal.GetReference(source), source.Length);
        return view;
    }

    public void Dispose() => _buffer?.Dispose();
}
