using DestinyDsl.Runtime.Kernels.Simd;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Kernels.Sparse;

/// <summary>
/// Work items of <see cref="SparseKernels.GatherRows"/>: one batch row × one block of output columns (blocks keep
/// the accumulated segment of z in L1 while the selected weight rows stream past it).
/// </summary>
internal unsafe struct SparseGather<TV> : IParallelWork
    where TV : struct, ISimd<TV>
{
    /// <summary>Output columns per work item.</summary>
    public const int ColumnBlock = 2048;

    public int* RowOffsets;
    public int* Columns;
    public float* Values;   // null: all ones
    public float* W;
    public nint Ldw;
    public int N;
    public int ColumnBlocks;
    public bool Accumulate;
    public float* Z;
    public nint Ldz;

    public readonly void Run(int item)
    {
        var row = item / ColumnBlocks;
        var j0 = item % ColumnBlocks * ColumnBlock;
        var width = Math.Min(ColumnBlock, N - j0);
        var start = RowOffsets[row];
        SparseRowSum.Run<TV>(
            Z + (row * Ldz) + j0, width, Accumulate,
            Columns + start, Values == null ? null : Values + start, RowOffsets[row + 1] - start,
            W + j0, Ldw);
    }
}
