namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>
/// How one product is cut: tile (MR × NR), k blocks (KC), packed B block width (NC), work items of MB × NB of C,
/// which operands are packed once and shared, and how many threads run the items.
/// </summary>
/// <remarks>
/// Work items never split k, so every element of C is finished by the thread that started it; how C is cut into
/// items (which does depend on the thread count) changes neither the values nor which elements the epilogue sees.
/// </remarks>
internal readonly record struct GemmPlan(
    int M, int N, int K, int MR, int NR, int KC, int NC, int MB, int NB,
    int RowItems, int ColumnItems, bool PrepackA, bool PrepackB, int Threads)
{
    /// <summary>Work items (row blocks × column blocks).</summary>
    public int Items => RowItems * ColumnItems;

    /// <summary>k blocks per item (one even when k = 0, so C is still written and the epilogue still runs).</summary>
    public int KBlocks => K == 0 ? 1 : DivideUp(K, KC);

    /// <summary>Cuts an m×n×k product for tiles of <paramref name="mr"/> × <paramref name="nr"/> on up to <paramref name="threads"/> threads.</summary>
    public static GemmPlan Create(int m, int n, int k, int mr, int nr, int threads, bool toSink)
    {
        var flops = 2L * m * n * k;
        threads = (int)Math.Clamp(flops / Math.Max(1, GemmTuning.MinFlopsPerThread), 1, Math.Max(1, threads));

        var kc = Math.Max(1, Math.Min(GemmTuning.KBlock, k));
        var kBlocks = k == 0 ? 1 : DivideUp(k, kc);
        var nc = RoundUp(Math.Max(1, Math.Min(GemmTuning.ColumnBlock, n)), nr);
        if (toSink && kBlocks == 1 && n > nc)
        {
            // Long segments for the sink; as many blocks as needed, rounded up to a multiple of the threads.
            var blocks = RoundUp(DivideUp(n, Math.Max(nr, GemmTuning.SinkColumnBlock)), threads);
            nc = Math.Max(nc, RoundUp(DivideUp(n, blocks), nr));
        }
        var aShareable = (long)RoundUp(m, mr) * k <= GemmTuning.PrepackLimit;
        var bShareable = (long)k * RoundUp(n, nr) <= GemmTuning.PrepackLimit;

        // Columns: one packed B block per item when A is shared (cheap to reuse everywhere); otherwise about one
        // column block per thread, so that each item packs its rows of A once per k block for many B blocks.
        var nb = aShareable ? nc : Math.Max(nc, RoundUp(DivideUp(n, threads), nr));
        var columnItems = DivideUp(n, nb);

        // Rows: all of M in one item when A is shared, unless a sink needs its partial sums kept (several k blocks)
        // or the columns alone cannot keep every thread busy.
        var rowItems = aShareable && !(toSink && kBlocks > 1) ? 1 : DivideUp(m, GemmTuning.MaxRowsPerItem);
        if ((long)rowItems * columnItems < threads)
        {
            rowItems = Math.Max(rowItems, DivideUp(2 * threads, columnItems));
        }
        var mb = RoundUp(DivideUp(m, rowItems), mr);
        rowItems = DivideUp(m, mb);

        var prepackA = aShareable && columnItems > 1;
        var prepackB = bShareable && rowItems > 1;
        threads = Math.Min(threads, rowItems * columnItems);
        return new GemmPlan(m, n, k, mr, nr, kc, nc, mb, nb, rowItems, columnItems, prepackA, prepackB, threads);
    }

    public static int DivideUp(int value, int divisor) => (value + divisor - 1) / divisor;

    public static int RoundUp(int value, int multiple) => DivideUp(value, multiple) * multiple;
}
