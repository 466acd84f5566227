using DestinyDsl.Runtime.Kernels.Buffers;
using DestinyDsl.Runtime.Kernels.Simd;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Kernels.Sparse;

/// <summary>
/// A batch's non-zeros regrouped by column (CSC): for each column that occurs, the batch rows containing it in
/// ascending order with their values. Built by one counting pass and one placing pass into the calling thread's
/// arena, so nothing is allocated per call once the buffers have grown.
/// </summary>
internal unsafe struct SparseTransposition
{
    public int* Start;        // entries of column c: [Start[c], Start[c + 1])
    public int* RowOf;
    public float* ValueOf;    // null: all ones
    public int* Occurring;    // columns with at least one entry, ascending
    public int OccurringCount;

    public static SparseTransposition Build(
        KernelArena arena, int rows, int* rowOffsets, int* columns, float* values, int columnCount)
    {
        var begin = rowOffsets[0];
        var nnz = rowOffsets[rows] - begin;
        var start = arena.Get<int>(0, columnCount + 1L);
        var next = arena.Get<int>(1, columnCount);
        var occurring = arena.Get<int>(2, Math.Min(columnCount, nnz));
        var rowOf = arena.Get<int>(3, nnz);
        var valueOf = values == null ? null : arena.Get<float>(4, nnz);

        new Span<int>(start, columnCount + 1).Clear();
        for (var i = begin; i < begin + nnz; i++)
        {
            start[columns[i] + 1]++;
        }
        var occurringCount = 0;
        for (var c = 0; c < columnCount; c++)
        {
            if (start[c + 1] != 0)
            {
                occurring[occurringCount++] = c;
            }
            start[c + 1] += start[c];
            next[c] = start[c];
        }
        for (var r = 0; r < rows; r++)
        {
            for (var i = rowOffsets[r]; i < rowOffsets[r + 1]; i++)
            {
                var at = next[columns[i]]++;
                rowOf[at] = r;
                if (valueOf != null)
                {
                    valueOf[at] = values[i];
                }
            }
        }
        return new SparseTransposition
        {
            Start = start, RowOf = rowOf, ValueOf = valueOf, Occurring = occurring, OccurringCount = occurringCount,
        };
    }
}

/// <summary>Work items of <see cref="SparseKernels.TransposedProductToSink"/>: a run of occurring columns each.</summary>
internal unsafe struct SparseTransposedProduct<TV, TSink> : IParallelWork
    where TV : struct, ISimd<TV>
    where TSink : struct, IGemmEpilogue
{
    /// <summary>Occurring columns per work item.</summary>
    public const int ColumnsPerItem = 16;

    public SparseTransposition Batch;
    public float* Delta;
    public nint Ldd;
    public int N;
    public TSink Sink;

    public readonly int Items => (Batch.OccurringCount + ColumnsPerItem - 1) / ColumnsPerItem;

    public void Run(int item)
    {
        var arena = KernelArena.RentForItem();
        try
        {
            var g = arena.Get(0, N);
            var end = Math.Min(Batch.OccurringCount, (item + 1) * ColumnsPerItem);
            for (var q = item * ColumnsPerItem; q < end; q++)
            {
                var column = Batch.Occurring[q];
                var s = Batch.Start[column];
                SparseRowSum.Run<TV>(
                    g, N, accumulate: false,
                    Batch.RowOf + s, Batch.ValueOf == null ? null : Batch.ValueOf + s, Batch.Start[column + 1] - s,
                    Delta, Ldd);
                Sink.Apply(column, 0, new Span<float>(g, N));
            }
        }
        finally
        {
            arena.Return();
        }
    }
}
