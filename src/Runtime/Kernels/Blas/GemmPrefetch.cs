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

    /// <summary>
    /// Prefetches slice <paramref name="part"/> of <paramref name="parts"/> (by cache lines). Called once per tile:
    /// a few lines at a time overlap with the arithmetic, where a burst per strip would fill the miss queue and stall.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Issue(int part, int parts)
    {
        if (_rows == 0)
        {
            return;
        }
        var linesPerRow = (_rowBytes + 63) >> 6;
        var lines = (long)_rows * linesPerRow;
        var first = part * lines / parts;
        var end = (part + 1) * lines / parts;
        if (first >= end)
        {
            return;
        }
        var row = (int)(first / linesPerRow);
        var line = (int)(first - ((long)row * linesPerRow));
        for (var i = first; i < end; i++)
        {
            Sse.Prefetch1(_origin + (row * _rowStride) + Math.Min(line << 6, _rowBytes - 1));
            if (++line == linesPerRow)
            {
                line = 0;
                row++;
            }
        }
    }
}
