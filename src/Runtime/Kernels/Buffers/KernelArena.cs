using System.Runtime.InteropServices;

namespace DestinyDsl.Runtime.Kernels.Buffers;

/// <summary>
/// Grow-only, 64-byte aligned native scratch buffers owned by one thread (packed panels, C tiles, a batch's
/// transposed structure): allocated once and reused by every later call on that thread, freed when the thread's
/// arena is collected. Nothing is allocated per call once the buffers have grown to the shapes in use.
/// </summary>
/// <remarks>
/// Two arenas per thread: one for what a call shares with its helpers (<see cref="RentForCall"/>) and one for the
/// work items the thread runs (<see cref="RentForItem"/>); the calling thread needs both at once. A kernel called
/// from inside an epilogue or sink on the same thread finds them in use and gets a temporary arena instead.
/// </remarks>
internal sealed unsafe class KernelArena
{
    private const int SlotCount = 6;

    [ThreadStatic]
    private static KernelArena? _forItems;

    [ThreadStatic]
    private static KernelArena? _forCalls;

    private readonly nint[] _buffers = new nint[SlotCount];
    private readonly long[] _capacities = new long[SlotCount];   // bytes
    private readonly bool _temporary;
    private bool _inUse;

    private KernelArena(bool temporary) => _temporary = temporary;

    ~KernelArena() => Free();

    /// <summary>The calling thread's arena for the work items it runs.</summary>
    public static KernelArena RentForItem() => Rent(ref _forItems);

    /// <summary>The calling thread's arena for what a call shares with its helpers.</summary>
    public static KernelArena RentForCall() => Rent(ref _forCalls);

    /// <summary>A buffer of at least <paramref name="count"/> elements in <paramref name="slot"/>; contents undefined.</summary>
    public T* Get<T>(int slot, long count)
        where T : unmanaged
    {
        var bytes = (count * sizeof(T)) + 64;   // slack: a tile may be read a little past its end
        if (_capacities[slot] < bytes)
        {
            var capacity = Math.Max(bytes, _capacities[slot] * 5 / 4);
            if (_buffers[slot] != 0)
            {
                NativeMemory.AlignedFree((void*)_buffers[slot]);
                _buffers[slot] = 0;
                _capacities[slot] = 0;
            }
            _buffers[slot] = (nint)NativeMemory.AlignedAlloc((nuint)capacity, 64);
            _capacities[slot] = capacity;
        }
        return (T*)_buffers[slot];
    }

    /// <summary>A float buffer; see <see cref="Get{T}"/>.</summary>
    public float* Get(int slot, long floats) => Get<float>(slot, floats);

    /// <summary>Gives the arena back (a temporary one is freed).</summary>
    public void Return()
    {
        if (_temporary)
        {
            Free();
            GC.SuppressFinalize(this);
        }
        else
        {
            _inUse = false;
        }
    }

    private static KernelArena Rent(ref KernelArena? owned)
    {
        owned ??= new KernelArena(temporary: false);
        if (owned._inUse)
        {
            return new KernelArena(temporary: true);
        }
        owned._inUse = true;
        return owned;
    }

    private void Free()
    {
        for (var i = 0; i < SlotCount; i++)
        {
            if (_buffers[i] != 0)
            {
                NativeMemory.AlignedFree((void*)_buffers[i]);
                _buffers[i] = 0;
                _capacities[i] = 0;
            }
        }
    }
}
