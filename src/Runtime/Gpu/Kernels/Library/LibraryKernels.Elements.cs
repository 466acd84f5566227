using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

internal sealed partial class LibraryKernels
{
    /// <summary><c>dst[i] += src[i]</c> for i &lt; <paramref name="count"/>.</summary>
    public void Add(AcceleratorStream stream, ArrayView<float> dst, ArrayView<float> src, int count)
    {
        ViewChecks.NonNegative(count, nameof(count));
        ViewChecks.Holds(dst, count, nameof(dst));
        ViewChecks.Holds(src, count, nameof(src));
        if (count > 0) _add(stream, count, dst, src);
    }

    /// <summary><c>view[i] = value</c> for i &lt; <paramref name="count"/>.</summary>
    public void Fill(AcceleratorStream stream, ArrayView<float> view, float value, int count)
    {
        ViewChecks.NonNegative(count, nameof(count));
        ViewChecks.Holds(view, count, nameof(view));
        if (count > 0) _fill(stream, count, view, value);
    }

    /// <summary>Zeroes the first <paramref name="count"/> elements (a memset, no kernel).</summary>
    public void Clear(AcceleratorStream stream, ArrayView<float> view, int count)
    {
        ViewChecks.NonNegative(count, nameof(count));
        ViewChecks.Holds(view, count, nameof(view));
        if (count > 0) view.SubView(0, count).MemSetToZero(stream);
    }

    /// <summary>
    /// <c>flag[0] = 1</c> when any of the first <paramref name="count"/> elements is NaN or ±∞, else 0. The flag is
    /// cleared on the stream first; read it after the stream has run.
    /// </summary>
    public void AnyNonFinite(AcceleratorStream stream, ArrayView<float> view, int count, ArrayView<int> flag)
    {
        ViewChecks.NonNegative(count, nameof(count));
        ViewChecks.Holds(view, count, nameof(view));
        ViewChecks.Holds(flag, 1, nameof(flag));
        flag.SubView(0, 1).MemSetToZero(stream);
        if (count > 0) _anyNonFinite(stream, count, view, flag);
    }

    /// <summary>
    /// Copies columns [<paramref name="columnStart"/>, +<paramref name="count"/>) of the row-major [rows][width]
    /// buffer <paramref name="full"/> to the contiguous [rows][count] block at <paramref name="blocksOffset"/> of
    /// <paramref name="blocks"/> (one shard's block of the block-major layout collectives exchange).
    /// </summary>
    public void ToBlocks(AcceleratorStream stream, ArrayView<float> full, int rows, int width, int columnStart, int count, ArrayView<float> blocks, int blocksOffset)
    {
        var n = CheckBlock(full, rows, width, columnStart, count, blocks, blocksOffset);
        if (n > 0) _toBlocks(stream, n, full, width, columnStart, count, blocks, blocksOffset);
    }

    /// <summary>The inverse of <see cref="ToBlocks"/>: the block at <paramref name="blocksOffset"/> back into its columns of <paramref name="full"/>.</summary>
    public void FromBlocks(AcceleratorStream stream, ArrayView<float> blocks, int blocksOffset, int rows, int width, int columnStart, int count, ArrayView<float> full)
    {
        var n = CheckBlock(full, rows, width, columnStart, count, blocks, blocksOffset);
        if (n > 0) _fromBlocks(stream, n, blocks, blocksOffset, width, columnStart, count, full);
    }

    private static int CheckBlock(ArrayView<float> full, int rows, int width, int columnStart, int count, ArrayView<float> blocks, int blocksOffset)
    {
        ViewChecks.Count(rows, width, nameof(width));
        ViewChecks.NonNegative(columnStart, nameof(columnStart));
        ViewChecks.NonNegative(blocksOffset, nameof(blocksOffset));
        var n = ViewChecks.Count(rows, count, nameof(count));
        if ((long)columnStart + count > width)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Columns [{columnStart}, {columnStart + count}) are outside the width {width}.");
        }
        ViewChecks.Holds(full, (long)rows * width, nameof(full));
        ViewChecks.Holds(blocks, (long)blocksOffset + n, nameof(blocks));
        if ((long)blocksOffset + n > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(blocksOffset), "The block ends beyond the kernels' 32-bit indices.");
        return n;
    }
}
