namespace DestinyDsl.Runtime.Distributed;

/// <summary>
/// The byte-counting convention every communicator uses for <see cref="CommunicationCounters"/>: the bytes one rank
/// sends in the bandwidth-optimal ring algorithm, whatever the transport really does (in-process copies, MPI's own
/// algorithm choice). The same numbers on every rank and every transport, so they compare with analytic traffic
/// formulas (docs/distributed.md). Integer division rounds down; a group of one moves nothing.
/// </summary>
public static class RingTraffic
{
    /// <summary>All-gather of <paramref name="totalBytes"/> in all (the gathered buffer): (P−1)/P·M.</summary>
    public static long AllGather(int ranks, long totalBytes) => Share(ranks, totalBytes);

    /// <summary>Reduce-scatter of <paramref name="totalBytes"/> in all (each rank's full input): (P−1)/P·M.</summary>
    public static long ReduceScatter(int ranks, long totalBytes) => Share(ranks, totalBytes);

    /// <summary>All-reduce of a <paramref name="bytes"/>-byte buffer (a reduce-scatter then an all-gather): 2(P−1)/P·M.</summary>
    public static long AllReduce(int ranks, long bytes) => Share(ranks, 2 * bytes);

    /// <summary>
    /// Broadcast of <paramref name="bytes"/>: (P−1)/P·M, the per-rank average of a pipelined chain broadcast, where
    /// P−1 ranks each forward the M bytes once ((P−1)·M in all, spread over P ranks).
    /// </summary>
    public static long Broadcast(int ranks, long bytes) => Share(ranks, bytes);

    private static long Share(int ranks, long bytes)
    {
        if (ranks < 1) throw new ArgumentOutOfRangeException(nameof(ranks), ranks, "A group has at least one rank.");
        return bytes * (ranks - 1) / ranks;
    }
}
