using System.Runtime.InteropServices;

namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>
/// Grow-only, 64-byte aligned scratch buffers owned by one thread (packed panels, C tiles): allocated once and
/// reused by every later call on that thread, freed when the thread's arena is collected.
/// </summary>
/// <remarks>
/// Two arenas per thread: one for a call's shared pre-packed operands (<see cref="RentForCall"/>) and one for the
/// work items the thread runs (<see cref="RentForItem"/>); the calling thread needs both at once. A kernel called
/// from inside an epilogue on the same thread finds them in use and gets a temporary arena instead.
/// </remarks>
internal sealed unsafe class GemmArena
{
    private const int SlotCount = 4;

    [ThreadStatic]
    private static GemmArena? _forItems;

    [ThreadStatic]
    private static GemmArena? _forCalls;

    private readonly nint[] _buffers = new nint[SlotCount];
    private readonly long[] _capacities = new long[SlotCount];
    private readonly bool _temporary;
    private bool _inUse;

    private GemmArena(bool temporary) => _temporary = temporary;

    ~GemmArena() => Free();

    /// <summary>The calling thread's arena for the work items it runs.</summary>
    public static GemmArena RentForItem() => Rent(ref _forItems);

    /// <summary>The calling thread's arena for the operands a call shares with its helpers.</summary>
    public static GemmArena RentForCall() => Rent(ref _forCalls);

    /// <summary>A buffer of at least <paramref name="floats"/> floats in <paramref name="slot"/>; contents undefined.</summary>
    public float* Get(int slot, long floats)
    {
        if (_capacities[slot] < floats)
        {
            var previous = _capacities[slot];
            if (_buffers[slot] != 0)
            {
                NativeMemory.AlignedFree((void*)_buffers[slot]);
                _buffers[slot] = 0;
                _capacities[slot] = 0;
            }
            var capacity = Math.Max(floats, previous * 5 / 4) + 16;   // slack: tiles may be read past the end
            _buffers[slot] = (nint)NativeMemory.AlignedAlloc((nuint)(capacity * sizeof(float)), 64);
            _capacities[slot] = capacity;
        }
        return (float*)_buffers[slot];
    }

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

    private static GemmArena Rent(ref GemmArena? owned)
    {
        owned ??= new GemmArena(temporary: false);
        if (owned._inUse)
        {
            return new GemmArena(temporary: true);
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
