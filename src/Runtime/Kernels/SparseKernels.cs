using DestinyDsl.Runtime.Kernels.Buffers;
using DestinyDsl.Runtime.Kernels.Simd;
using DestinyDsl.Runtime.Kernels.Sparse;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// Products with a sparse (CSR) batch: the sparse input layer's forward (a gather-sum of weight rows, never
/// densified) and its weight gradient (one row per column that occurs in the batch, consumed by a sink).
/// </summary>
/// <remarks>
/// Same determinism contract as <see cref="Gemm"/>: fixed summation order, independent of thread count. Each
/// output element is one fused-multiply-add chain over the contributing non-zeros in their fixed order (CSR order
/// for <see cref="GatherRows"/>, ascending batch row for <see cref="TransposedProductToSink"/>), so results are also
/// independent of the register width. Run on up to <see cref="KernelThreads.ForCurrentThread"/> threads; safe to
/// call from several threads at once. Row offsets are absolute indices into <c>columns</c>/<c>values</c>.
/// </remarks>
public static class SparseKernels
{
    // Below this many multiply-adds per thread, waking another thread costs more than it saves.
    private const long MinWorkPerThread = 1L << 18;

    /// <summary>
    /// z[b, 0..n) (+)= Σ over the non-zeros i of row b of <c>values[i] · W[columns[i], 0..n)</c>, for b in [0, rows).
    /// <paramref name="values"/> empty means every non-zero is 1. W is row-major with leading dimension <paramref name="ldw"/>.
    /// </summary>
    public static unsafe void GatherRows(
        int rows, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        ReadOnlySpan<float> w, int ldw, int n, bool accumulate, Span<float> z, int ldz)
    {
        const string call = nameof(GatherRows);
        SparseArguments.CheckMatrix(call, "z", rows, n, z.Length, ldz);
        ArgumentOutOfRangeException.ThrowIfLessThan(ldw, Math.Max(1, n), nameof(ldw));
        SparseArguments.CheckBatch(call, rows, rowOffsets, columns, values, SparseArguments.RowsIn(w.Length, n, ldw), "the rows of W");
        if (rows == 0 || n == 0)
        {
            return;
        }

        var blocks = (n + SparseGather<Simd512>.ColumnBlock - 1) / SparseGather<Simd512>.ColumnBlock;
        var work = (long)(rowOffsets[rows] - rowOffsets[0] + rows) * n;
        var threads = (int)Math.Clamp(work / MinWorkPerThread, 1, KernelThreads.ForCurrentThread);
        fixed (int* offsets = rowOffsets, cols = columns)
        fixed (float* vals = values, pw = w, pz = z)
        {
            var valuesOrNull = values.IsEmpty ? null : vals;
            switch (SimdWidth.Current)
            {
                case 512:
                    Gather<Simd512>(rows, offsets, cols, valuesOrNull, pw, ldw, n, blocks, accumulate, pz, ldz, threads);
                    break;
                case 256:
                    Gather<Simd256>(rows, offsets, cols, valuesOrNull, pw, ldw, n, blocks, accumulate, pz, ldz, threads);
                    break;
                case 128:
                    Gather<Simd128>(rows, offsets, cols, valuesOrNull, pw, ldw, n, blocks, accumulate, pz, ldz, threads);
                    break;
                default:
                    Gather<Scalar>(rows, offsets, cols, valuesOrNull, pw, ldw, n, blocks, accumulate, pz, ldz, threads);
                    break;
            }
        }
    }

    /// <summary>
    /// For every column c that occurs in the batch: g = Σ over rows b containing c of <c>value(b, c) · δ[b, 0..n)</c>
    /// (rows summed in ascending order), handed to <paramref name="sink"/> as <c>Apply(c, 0, g)</c> once per column.
    /// Columns that do not occur are never visited (their weights are not touched).
    /// </summary>
    /// <remarks>The segment is scratch owned by the kernel. Columns are handed over concurrently, in no particular order.</remarks>
    public static unsafe void TransposedProductToSink<TSink>(
        int rows, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        int columnCount, ReadOnlySpan<float> delta, int ldd, int n, TSink sink)
        where TSink : struct, IGemmEpilogue
    {
        const string call = nameof(TransposedProductToSink);
        ArgumentOutOfRangeException.ThrowIfNegative(columnCount, nameof(columnCount));
        SparseArguments.CheckMatrix(call, "delta", rows, n, delta.Length, ldd);
        SparseArguments.CheckBatch(call, rows, rowOffsets, columns, values, columnCount, "the columnCount columns");
        if (rows == 0 || rowOffsets[rows] == rowOffsets[0])
        {
            return;
        }

        var work = (long)(rowOffsets[rows] - rowOffsets[0]) * Math.Max(1, n);
        var threads = (int)Math.Clamp(work / MinWorkPerThread, 1, KernelThreads.ForCurrentThread);
        var arena = KernelArena.RentForCall();
        try
        {
            fixed (int* offsets = rowOffsets, cols = columns)
            fixed (float* vals = values, pd = delta)
            {
                var batch = SparseTransposition.Build(arena, rows, offsets, cols, values.IsEmpty ? null : vals, columnCount);
                switch (SimdWidth.Current)
                {
                    case 512:
                        Transposed<Simd512, TSink>(batch, pd, ldd, n, sink, threads);
                        break;
                    case 256:
                        Transposed<Simd256, TSink>(batch, pd, ldd, n, sink, threads);
                        break;
                    case 128:
                        Transposed<Simd128, TSink>(batch, pd, ldd, n, sink, threads);
                        break;
                    default:
                        Transposed<Scalar, TSink>(batch, pd, ldd, n, sink, threads);
                        break;
                }
            }
        }
        finally
        {
            arena.Return();
        }
    }

    private static unsafe void Gather<TV>(
        int rows, int* offsets, int* columns, float* values, float* w, nint ldw, int n, int blocks,
        bool accumulate, float* z, nint ldz, int threads)
        where TV : struct, ISimd<TV>
    {
        var work = new SparseGather<TV>
        {
            RowOffsets = offsets, Columns = columns, Values = values, W = w, Ldw = ldw, N = n,
            ColumnBlocks = blocks, Accumulate = accumulate, Z = z, Ldz = ldz,
        };
        KernelPool.For(rows * blocks, threads, work);
    }

    private static unsafe void Transposed<TV, TSink>(in SparseTransposition batch, float* delta, nint ldd, int n, in TSink sink, int threads)
        where TV : struct, ISimd<TV>
        where TSink : struct, IGemmEpilogue
    {
        var work = new SparseTransposedProduct<TV, TSink> { Batch = batch, Delta = delta, Ldd = ldd, N = n, Sink = sink };
        KernelPool.For(work.Items, threads, work);
    }
}
