namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// Process-wide switches between equivalent CPU code paths, so that a benchmark can time the old path against the
/// new one alternately in one process (<c>benchmarks/HeadToHead --ab</c>). No switch changes a result: each pair of
/// paths computes the same bits. Read when a call starts (or, for <see cref="HugePages"/>, when a buffer is
/// allocated); changing one while training is safe.
/// </summary>
public static class CpuPaths
{
    private static volatile bool _fusedOutputLoss = true;
    private static volatile bool _hugePages = true;

    /// <summary>
    /// The training loss of an element-wise output is summed in its forward product's epilogue, chunk by chunk while
    /// each segment is in cache (default), instead of in a separate pass over the output afterwards.
    /// </summary>
    public static bool FusedOutputLoss { get => _fusedOutputLoss; set => _fusedOutputLoss = value; }

    /// <summary>
    /// Large CPU buffers (weights, optimizer state, activations of a wide layer) ask the kernel for transparent huge
    /// pages (<c>madvise(MADV_HUGEPAGE)</c>, Linux; default on: 0.98–1.11 times the CPU time per step of the benchmark
    /// network in six A/B runs, median ≈ 3% less; docs/performance.md). Refusal is silent: the buffer keeps small pages.
    /// </summary>
    public static bool HugePages { get => _hugePages; set => _hugePages = value; }
}
