namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>
/// Blocking parameters of the packed GEMM, sized for caches of 32 KiB (L1d) / 1 MiB (L2) per core: a packed B
/// block of <see cref="KBlock"/> × <see cref="ColumnBlock"/> floats (256 KiB) stays in L2 while A slivers of
/// MR × <see cref="KBlock"/> (12 KiB) stream through L1. Settable for benchmarks and tests; never changes results.
/// </summary>
internal static class GemmTuning
{
    /// <summary>k values per packed block (KC).</summary>
    public static int KBlock { get; set; } = 256;

    /// <summary>Columns of C per packed B block (NC); rounded up to the tile width.</summary>
    public static int ColumnBlock { get; set; } = 256;

    /// <summary>Most rows per work item when A is packed per item rather than shared.</summary>
    public static int MaxRowsPerItem { get; set; } = 768;

    /// <summary>An operand at most this many floats (padded) is packed once per call and shared by all items.</summary>
    public static long PrepackLimit { get; set; } = 4L << 20;

    /// <summary>Below this many flops per thread a call uses fewer threads (waking a worker costs microseconds).</summary>
    public static long MinFlopsPerThread { get; set; } = 4L << 20;

    /// <summary>Forces a register width (512, 256, 128 or 1) instead of the widest accelerated one; 0 = automatic.</summary>
    public static int ForcedWidth { get; set; }
}
