namespace DestinyDsl.Runtime.Distributed;

/// <summary>Element-wise reduction applied by <see cref="ICommunicator.AllReduce(Span{float}, ReductionOperation)"/>.</summary>
public enum ReductionOperation { Sum, Max }

/// <summary>
/// Collectives among the shards of a device group, behind one interface: in-process shared memory
/// (CPU virtual devices) or MPI ranks. Every shard of a group calls the same collectives in the same order.
/// Counts are in elements; rank r's block of a gathered or scattered buffer starts at the sum of counts[0..r).
/// </summary>
/// <remarks>
/// <para>Counts may be uneven (N not divisible by P) and a rank's count may be 0. Buffers may be longer than the call
/// needs (only the first counts[r] / sum(counts) elements are read or written); every rank must pass the same counts
/// and, for all-reduce and broadcast, the same length. A communicator belongs to one shard and is called from one
/// thread at a time.</para>
/// <para>Determinism: the in-process transport reduces in rank order (((x0 + x1) + x2) + …), so every shard gets
/// bit-identical results that do not depend on timing; MPI reduces in the library's order, which is the same on
/// every rank of a job but may differ between libraries.</para>
/// <para>Failure: if a shard fails, call <see cref="Abort"/> so the others do not wait forever. In-process, blocked
/// and later collectives of the group then throw <see cref="CommunicatorAbortedException"/>; under MPI the whole
/// job ends (<c>MPI_Abort</c>). An argument error detected in a collective aborts the in-process group the same way,
/// so a misuse on one shard fails every shard instead of hanging them.</para>
/// <para>Traffic: <see cref="Counters"/> counts what this rank sends with the ring convention of
/// <see cref="RingTraffic"/>, identical for every transport; the rooted <see cref="Gather"/> and <see cref="Scatter"/>
/// count what the rank itself sends (its block to the root; the root's blocks to the others).</para>
/// </remarks>
public interface ICommunicator : IDisposable
{
    /// <summary>This shard's rank in the group, 0..Size-1.</summary>
    int Rank { get; }

    /// <summary>Number of shards in the group.</summary>
    int Size { get; }

    /// <summary>Bytes this rank has moved, per collective (for progress reports and traffic tests).</summary>
    CommunicationCounters Counters { get; }

    /// <summary>
    /// Concatenates every rank's <paramref name="local"/> block (rank r contributes counts[r] elements) into <paramref name="result"/> on every rank.
    /// <paramref name="local"/> may be this rank's own block inside <paramref name="result"/> (an in-place gather); any other overlap is an error.
    /// </summary>
    void AllGather(ReadOnlySpan<float> local, Span<float> result, ReadOnlySpan<int> counts);

    /// <summary>
    /// Sums <paramref name="input"/> (the full length, sum of counts) over ranks; rank r receives its counts[r]-element block in <paramref name="localResult"/>.
    /// The two buffers must not overlap.
    /// </summary>
    void ReduceScatter(ReadOnlySpan<float> input, Span<float> localResult, ReadOnlySpan<int> counts);

    /// <summary>
    /// Concatenates every rank's <paramref name="local"/> block (rank r contributes counts[r] elements) into
    /// <paramref name="result"/> on <paramref name="root"/> only; the other ranks' <paramref name="result"/> is neither read
    /// nor written (it may be empty) and they receive nothing. On the root, <paramref name="local"/> may be its own block
    /// inside <paramref name="result"/>.
    /// </summary>
    void Gather(ReadOnlySpan<float> local, Span<float> result, ReadOnlySpan<int> counts, int root);

    /// <summary>
    /// The reverse of <see cref="Gather"/>: rank r receives block r (counts[r] elements) of <paramref name="root"/>'s
    /// <paramref name="input"/> in <paramref name="localResult"/>. Only the root's <paramref name="input"/> is read (the
    /// others may pass an empty span). The two buffers must not overlap.
    /// </summary>
    void Scatter(ReadOnlySpan<float> input, Span<float> localResult, ReadOnlySpan<int> counts, int root);

    /// <summary>Reduces <paramref name="buffer"/> element-wise over ranks, in place, on every rank.</summary>
    void AllReduce(Span<float> buffer, ReductionOperation operation);

    /// <summary>Reduces <paramref name="buffer"/> element-wise over ranks, in place, on every rank.</summary>
    void AllReduce(Span<double> buffer, ReductionOperation operation);

    /// <summary>Copies <paramref name="root"/>'s bytes into every rank's buffer.</summary>
    void Broadcast(Span<byte> buffer, int root);

    /// <summary>Waits until every rank has arrived.</summary>
    void Barrier();

    /// <summary>
    /// Splits the group: ranks with the same <paramref name="color"/> (≥ 0) form a new communicator, ordered by <paramref name="key"/>
    /// (ties by rank in this group). Collective. The new communicator has its own counters and must be disposed.
    /// </summary>
    ICommunicator Split(int color, int key);

    /// <summary>
    /// Ends the group because this shard failed with <paramref name="reason"/>. In-process: every collective of the group
    /// (and of groups split from it) that is waiting, or starts later, throws <see cref="CommunicatorAbortedException"/>
    /// wrapping <paramref name="reason"/>; collectives already past their rendezvous finish normally, and this call
    /// returns. Under MPI: prints <paramref name="reason"/> and calls <c>MPI_Abort</c>, which ends every rank of the job;
    /// it does not return.
    /// </summary>
    void Abort(Exception reason);
}
