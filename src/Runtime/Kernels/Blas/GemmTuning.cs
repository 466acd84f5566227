namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>
/// Blocking parameters of the packed GEMM, sized for caches of 32 KiB (L1d) / 1 MiB (L2) per core: a packed B
/// block of <see cref="KBlock"/> × <see cref="ColumnBlock"/> floats (256 KiB) stays in L2 while A slivers of
/// MR × <see cref="KBlock"/> (12 KiB) stream through L1.
/// </summary>
/// <remarks>
/// Each value can be overridden for the calling thread (tests and benchmarks; 0 restores the default). The plan is
/// made on the calling thread, so an override applies to that thread's calls. No value ever changes a result.
/// </remarks>
internal static class GemmTuning
{
    [ThreadStatic] private static int _kBlock;
    [ThreadStatic] private static int _columnBlock;
    [ThreadStatic] private static int _sinkColumnBlock;
    [ThreadStatic] private static int _maxRowsPerItem;
    [ThreadStatic] private static long _prepackLimit;
    [ThreadStatic] private static long _minFlopsPerThread;

    /// <summary>k values per packed block (KC).</summary>
    public static int KBlock { get => _kBlock > 0 ? _kBlock : 256; set => _kBlock = value; }

    /// <summary>Columns of C per packed B block (NC); rounded up to the tile width.</summary>
    public static int ColumnBlock { get => _columnBlock > 0 ? _columnBlock : 256; set => _columnBlock = value; }

    /// <summary>
    /// Most columns per packed B block of a sink product with one k block (the weight gradient). Wide blocks hand the
    /// sink long row segments: an optimizer updating W and its state row segment by row segment streams them from
    /// memory at full speed only when the segments are long (measured: 1 KiB segments made the fused RMSProp pass
    /// 2.7 times slower than a separate pass; 16 KiB ones make it faster). The B block then lives in L3, which the
    /// micro-kernel streams from as fast as from L2.
    /// </summary>
    public static int SinkColumnBlock { get => _sinkColumnBlock > 0 ? _sinkColumnBlock : 4096; set => _sinkColumnBlock = value; }

    /// <summary>Most rows per work item when A is packed per item rather than shared.</summary>
    public static int MaxRowsPerItem { get => _maxRowsPerItem > 0 ? _maxRowsPerItem : 768; set => _maxRowsPerItem = value; }

    /// <summary>An operand of at most this many floats (padded) is packed once per call and shared by all items; negative: never.</summary>
    public static long PrepackLimit { get => _prepackLimit != 0 ? _prepackLimit : 4L << 20; set => _prepackLimit = value; }

    /// <summary>Below this many flops per thread a call uses fewer threads (waking a worker costs microseconds).</summary>
    public static long MinFlopsPerThread { get => _minFlopsPerThread > 0 ? _minFlopsPerThread : 4L << 20; set => _minFlopsPerThread = value; }

    /// <summary>Clears the calling thread's overrides.</summary>
    public static void Reset()
    {
        _kBlock = 0;
        _columnBlock = 0;
        _sinkColumnBlock = 0;
        _maxRowsPerItem = 0;
        _prepackLimit = 0;
        _minFlopsPerThread = 0;
    }
}
