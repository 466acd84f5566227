using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>A device buffer that grows (doubling) when a batch needs more room, and is otherwise reused.</summary>
internal sealed class GrowableBuffer<T>(Accelerator accelerator, DeviceMemory memory, string what) : IDisposable
    where T : unmanaged
{
    private MemoryBuffer1D<T, Stride1D.Dense>? _buffer;

    /// <summary>A view of at least <paramref name="count"/> elements (at least one).</summary>
    public ArrayView<T> Ensure(long count)
    {
        if (_buffer is null || _buffer.Length < count)
        {
            var length = Math.Max(Math.Max(1, count), (_buffer?.Length ?? 0) * 2);
            memory.Reserve(length * Unsafe.SizeOf<T>(), what);
            Free();
            _buffer = accelerator.Allocate1D<T>(length);
        }
        return _buffer.View;
    }

    /// <summary>Copies <paramref name="source"/> to the start of the buffer (growing it first) and returns its view; synchronous.</summary>
    public ArrayView<T> Upload(AcceleratorStream stream, ReadOnlySpan<T> source)
    {
        var view = Ensure(source.Length);
        if (!source.IsEmpty) view.SubView(0, source.Length).CopyFromCPU(stream, ref MemoryMarshal.GetReference(source), source.Length);
        return view;
    }

    public void Dispose() => Free();

    private void Free()
    {
        if (_buffer is null) return;
        memory.Release(_buffer.Length * Unsafe.SizeOf<T>());
        _buffer.Dispose();
        _buffer = null;
    }
}

/// <summary>
/// Page-locked host memory a batch is assembled in, copied to a device buffer of the same capacity asynchronously on
/// the stream (ILGPU's CopyFromPageLockedAsync copies the whole page-locked array, so both sides grow together), so
/// the host builds batch k+1 while the device still runs step k. The caller makes sure the previous copy out of it
/// has finished before refilling it (<see cref="StreamClock.WaitFor"/>).
/// </summary>
internal sealed class PinnedUpload<T>(Accelerator accelerator, DeviceMemory memory, string what) : IDisposable
    where T : unmanaged
{
    private readonly GrowableBuffer<T> _device = new(accelerator, memory, what);
    private PageLockedArray1D<T>? _host;

    /// <summary>Enqueues the copy of <paramref name="source"/> and returns the device view it will land in.</summary>
    public ArrayView<T> Upload(AcceleratorStream stream, ReadOnlySpan<T> source)
    {
        if (_host is null || _host.Length < source.Length)
        {
            _host?.Dispose();
            _host = accelerator.AllocatePageLocked1D<T>(Math.Max(Math.Max(1, source.Length), (_host?.Length ?? 0) * 2));
        }
        var view = _device.Ensure(_host.Length);
        if (source.IsEmpty) return view;
        source.CopyTo(_host.Span);
        view.SubView(0, _host.Length).CopyFromPageLockedAsync(stream, _host);
        return view;
    }

    public void Dispose()
    {
        _device.Dispose();
        _host?.Dispose();
    }
}
