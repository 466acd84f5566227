using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>
/// Reshuffles between a row-major [rows][width] buffer and the block-major layout collectives exchange: the columns
/// are split into shard ranges, and shard s's block is its range as a contiguous [rows][count_s] matrix, blocks one
/// after another ([shard][rows][n_s]). One launch per shard range; implicitly grouped over rows·count.
/// </summary>
internal static class BlockKernels
{
    /// <summary><c>blocks[blocksOffset + r·count + c] = full[r·width + columnStart + c]</c> for i = r·count + c.</summary>
    public static void ToBlocks(Index1D i, ArrayView<float> full, int width, int columnStart, int count, ArrayView<float> blocks, int blocksOffset)
    {
        var r = i / count;
        var c = i - (r * count);
        blocks[blocksOffset + i] = full[(r * width) + columnStart + c];
    }

    /// <summary><c>full[r·width + columnStart + c] = blocks[blocksOffset + r·count + c]</c> for i = r·count + c.</summary>
    public static void FromBlocks(Index1D i, ArrayView<float> blocks, int blocksOffset, int width, int columnStart, int count, ArrayView<float> full)
    {
        var r = i / count;
        var c = i - (r * count);
        full[(r * width) + columnStart + c] = blocks[blocksOffset + i];
    }
}
