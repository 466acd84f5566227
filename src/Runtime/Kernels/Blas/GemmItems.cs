using System.Runtime.CompilerServices;
using DestinyDsl.Runtime.Kernels.Buffers;
using DestinyDsl.Runtime.Kernels.Simd;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>
/// One work item of a product: a block of C (rows [i0, i1) × columns [j0, j1)) over all of k. Loop nest per item:
/// k blocks → (pack the item's A rows) → B blocks of NC columns (pack) → MR-row strips → NR-column tiles. After the
/// last k block each finished strip row is handed to the epilogue while it is still in L1.
/// </summary>
/// <remarks>
/// With <see cref="C"/> null the product goes to a sink: tiles land in a per-thread scratch strip (or, when k
/// spans several blocks, a scratch block for the item) and C is never written.
/// </remarks>
internal unsafe struct GemmItems<TV, TEpilogue> : IParallelWork
    where TV : struct, ISimd<TV>
    where TEpilogue : struct, IGemmEpilogue
{
    public GemmPlan Plan;
    public GemmOperands Operands;
    public float* PackedA;   // shared, all of k (null: packed per item)
    public float* PackedB;
    public float* C;         // null: sink
    public nint Ldc;
    public bool Accumulate;
    public TEpilogue Epilogue;

    public void Run(int item)
    {
        var arena = KernelArena.RentForItem();
        try
        {
            RunItem(item, arena);
        }
        finally
        {
            arena.Return();
        }
    }

    // Fully optimized from the first call: a large product makes only a handful of calls, too few for tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunItem(int item, KernelArena arena)
    {
        var plan = Plan;
        int mr = plan.MR, nr = plan.NR, k = plan.K;
        var i0 = item / plan.ColumnItems * plan.MB;
        var j0 = item % plan.ColumnItems * plan.NB;
        var i1 = Math.Min(plan.M, i0 + plan.MB);
        var j1 = Math.Min(plan.N, j0 + plan.NB);
        var strips = GemmPlan.DivideUp(i1 - i0, mr);
        var kcMax = Math.Min(plan.KC, k);
        var kBlocks = plan.KBlocks;
        var toSink = C == null;

        var localA = PackedA == null ? arena.Get(0, (long)strips * mr * kcMax) : null;
        var localB = PackedB == null ? arena.Get(1, (long)plan.NC * kcMax) : null;
        var edge = arena.Get(2, mr * nr);
        nint lds = GemmPlan.RoundUp(j1 - j0, nr);
        var scratch = toSink ? arena.Get(3, (kBlocks > 1 ? strips * mr : mr) * lds) : null;

        for (var kb = 0; kb < kBlocks; kb++)
        {
            var pc = kb * plan.KC;
            var kc = Math.Min(plan.KC, k - pc);
            var last = kb == kBlocks - 1;
            var load = kb > 0 || (Accumulate && !toSink);

            float* aBlock;
            nint aStride;
            if (PackedA != null)
            {
                aStride = (nint)mr * k;
                aBlock = PackedA + ((i0 / mr) * aStride) + ((nint)pc * mr);
            }
            else
            {
                aStride = (nint)mr * kc;
                aBlock = localA;
                Operands.PackA(i0, i1, mr, pc, kc, aBlock, aStride);
            }

            for (var jc = j0; jc < j1; jc += plan.NC)
            {
                var nc = Math.Min(plan.NC, j1 - jc);
                float* bBlock;
                nint bStride;
                if (PackedB != null)
                {
                    bStride = (nint)nr * k;
                    bBlock = PackedB + ((jc / nr) * bStride) + ((nint)pc * nr);
                }
                else
                {
                    bStride = (nint)nr * kc;
                    bBlock = localB;
                    Operands.PackB(jc, jc + nc, nr, pc, kc, bBlock, bStride);
                }

                for (var s = 0; s < strips; s++)
                {
                    var row = i0 + (s * mr);
                    var rows = Math.Min(mr, i1 - row);
                    var kernelRows = KernelRows(rows);
                    var aStrip = aBlock + (s * aStride);
                    float* target;
                    nint ldt;
                    if (toSink)
                    {
                        // Scratch is padded to whole tiles, so the sink path never needs the edge copy.
                        ldt = lds;
                        target = scratch + (kBlocks > 1 ? s * mr * lds : 0) + (jc - j0);
                    }
                    else
                    {
                        ldt = Ldc;
                        target = C + (row * Ldc) + jc;
                    }

                    var bSliver = bBlock;
                    for (var jr = 0; jr < nc; jr += nr, bSliver += bStride)
                    {
                        var columns = Math.Min(nr, nc - jr);
                        if (toSink || (rows == kernelRows && columns == nr))
                        {
                            Tile(kernelRows, kc, aStrip, bSliver, target + jr, ldt, load);
                        }
                        else
                        {
                            EdgeTile(kernelRows, kc, aStrip, bSliver, target + jr, ldt, load, rows, columns, edge);
                        }
                    }

                    if (last)
                    {
                        for (var r = 0; r < rows; r++)
                        {
                            Epilogue.Apply(row + r, jc, new Span<float>(target + (r * ldt), nc));
                        }
                    }

                }
            }
        }
    }

    // The smallest kernel covering a strip's rows: AVX-512 has 12-, 8- and 4-row kernels, the others 6 rows.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int KernelRows(int rows)
        => GemmExecutor.TileRows<TV>() == 12 ? (rows <= 4 ? 4 : rows <= 8 ? 8 : 12) : 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(int kernelRows, int kc, float* a, float* b, float* c, nint ldc, bool load)
    {
        if (GemmExecutor.TileRows<TV>() == 12)
        {
            if (kernelRows == 12)
            {
                GemmMicroKernels.Tile12<TV>(kc, a, b, c, ldc, load);
            }
            else if (kernelRows == 8)
            {
                GemmMicroKernels.Tile12Rows8<TV>(kc, a, b, c, ldc, load);
            }
            else
            {
                GemmMicroKernels.Tile12Rows4<TV>(kc, a, b, c, ldc, load);
            }
        }
        else
        {
            GemmMicroKernels.Tile6<TV>(kc, a, b, c, ldc, load);
        }
    }

    // A ragged tile runs the kernel on a copy, so its elements get exactly the same operations as any other.
    private static void EdgeTile(int kernelRows, int kc, float* a, float* b, float* c, nint ldc, bool load, int rows, int columns, float* edge)
    {
        var nr = 2 * TV.Count;
        if (load)
        {
            for (var r = 0; r < rows; r++)
            {
                new ReadOnlySpan<float>(c + (r * ldc), columns).CopyTo(new Span<float>(edge + (r * nr), columns));
            }
        }
        Tile(kernelRows, kc, a, b, edge, nr, load);
        for (var r = 0; r < rows; r++)
        {
            new ReadOnlySpan<float>(edge + (r * nr), columns).CopyTo(new Span<float>(c + (r * ldc), columns));
        }
    }
}
