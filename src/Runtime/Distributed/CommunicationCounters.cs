namespace DestinyDsl.Runtime.Distributed;

/// <summary>
/// Bytes sent by one rank, per collective, counted with the ring-algorithm convention
/// (all-gather or reduce-scatter of M bytes in total: (P-1)/P·M; all-reduce: 2(P-1)/P·M), so the numbers
/// compare directly with the traffic formula in docs/distributed.md whatever the transport does inside. The rooted
/// gather and scatter (checkpoints) have no ring: they count the bytes the rank really sends, so they differ by rank.
/// </summary>
public sealed class CommunicationCounters
{
    private long _allGather;
    private long _reduceScatter;
    private long _allReduce;
    private long _broadcast;
    private long _gather;
    private long _scatter;

    /// <summary>Bytes counted for all-gathers.</summary>
    public long AllGatherBytes => Interlocked.Read(ref _allGather);

    /// <summary>Bytes counted for reduce-scatters.</summary>
    public long ReduceScatterBytes => Interlocked.Read(ref _reduceScatter);

    /// <summary>Bytes counted for all-reduces.</summary>
    public long AllReduceBytes => Interlocked.Read(ref _allReduce);

    /// <summary>Bytes counted for broadcasts.</summary>
    public long BroadcastBytes => Interlocked.Read(ref _broadcast);

    /// <summary>Bytes this rank sent in rooted gathers (its own block when it is not the root; 0 on the root).</summary>
    public long GatherBytes => Interlocked.Read(ref _gather);

    /// <summary>Bytes this rank sent in rooted scatters (the other ranks' blocks when it is the root; 0 elsewhere).</summary>
    public long ScatterBytes => Interlocked.Read(ref _scatter);

    /// <summary>All bytes counted.</summary>
    public long TotalBytes => AllGatherBytes + ReduceScatterBytes + AllReduceBytes + BroadcastBytes + GatherBytes + ScatterBytes;

    /// <summary>Adds to the all-gather count.</summary>
    public void AddAllGather(long bytes) => Interlocked.Add(ref _allGather, bytes);

    /// <summary>Adds to the reduce-scatter count.</summary>
    public void AddReduceScatter(long bytes) => Interlocked.Add(ref _reduceScatter, bytes);

    /// <summary>Adds to the all-reduce count.</summary>
    public void AddAllReduce(long bytes) => Interlocked.Add(ref _allReduce, bytes);

    /// <summary>Adds to the broadcast count.</summary>
    public void AddBroadcast(long bytes) => Interlocked.Add(ref _broadcast, bytes);

    /// <summary>Adds to the gather count.</summary>
    public void AddGather(long bytes) => Interlocked.Add(ref _gather, bytes);

    /// <summary>Adds to the scatter count.</summary>
    public void AddScatter(long bytes) => Interlocked.Add(ref _scatter, bytes);

    /// <summary>Zeroes every count.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _allGather, 0);
        Interlocked.Exchange(ref _reduceScatter, 0);
        Interlocked.Exchange(ref _allReduce, 0);
        Interlocked.Exchange(ref _broadcast, 0);
        Interlocked.Exchange(ref _gather, 0);
        Interlocked.Exchange(ref _scatter, 0);
    }
}
