using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>
/// A rectangle of a row-major operand that an item will pack next, prefetched into L2 in slices while the current
/// block is being multiplied, so that packing reads from cache instead of stalling on memory.
/// </summary>
internal readonly unsafe struct GemmPrefetch
{
    private readonly byte* _origin;
    private readonly nint _rowStride;   // bytes
    private readonly int _rows;
    private readonly int _rowBytes;

    /// <summary><paramref name="rows"/> rows of <paramref name="rowFloats"/> floats starting at <paramref name="origin"/>, <paramref name="ld"/> floats apart.</summary>
    public GemmPrefetch(float* origin, nint ld, int rows, int rowFloats)
    {
        _origin = (byte*)origin;
        _rowStride = ld * sizeof(float);
        _rows = Sse.IsSupported ? rows : 0;
        _rowBytes = rowFloats * sizeof(float);
    }

    /// <summary>Nothing to prefetch.</summary>
    public static GemmPrefetch None => default;

    /// <summary>Prefetches slice <paramref name="part"/> of <paramref name="parts"/> (whole rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Issue(int part, int parts)
    {
        if (_rows == 0)
        {
            return;
        }
        var first = (int)((long)part * _rows / parts);
        var end = (int)((long)(part + 1) * _rows / parts);
        for (var r = first; r < end; r++)
        {
            var row = _origin + (r * _rowStride);
            for (var offset = 0; offset < _rowBytes; offset += 64)
            {
                Sse.Prefetch1(row + offset);
            }
            Sse.Prefetch1(row + _rowBytes - 1);
        }
    }
}
