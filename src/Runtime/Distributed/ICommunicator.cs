namespace DestinyDsl.Runtime.Distributed;

/// <summary>Element-wise reduction applied by <see cref="ICommunicator.AllReduce(Span{float}, ReductionOperation)"/>.</summary>
public enum ReductionOperation { Sum, Max }

/// <summary>
/// Collectives among the shards of a device group, behind one interface: in-process shared memory
/// (CPU virtual devices) or MPI ranks. Every shard of a group calls the same collectives in the same order.
/// Counts are in elements; rank r's block of a gathered or scattered buffer starts at the sum of counts[0..r).
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This shard's rank in the group, 0..Size-1.</summary>
    int Rank { get; }

    /// <summary>Number of shards in the group.</summary>
    int Size { get; }

    /// <summary>Bytes this rank has moved, per collective (for progress reports and traffic tests).</summary>
    CommunicationCounters Counters { get; }

    /// <summary>Concatenates every rank's <paramref name="local"/> block (rank r contributes counts[r] elements) into <paramref name="result"/> on every rank.</summary>
    void AllGather(ReadOnlySpan<float> local, Span<float> result, ReadOnlySpan<int> counts);

    /// <summary>Sums <paramref name="input"/> (the full length, sum of counts) over ranks; rank r receives its counts[r]-element block in <paramref name="localResult"/>.</summary>
    void ReduceScatter(ReadOnlySpan<float> input, Span<float> localResult, ReadOnlySpan<int> counts);

    /// <summary>Reduces <paramref name="buffer"/> element-wise over ranks, in place, on every rank.</summary>
    void AllReduce(Span<float> buffer, ReductionOperation operation);

    /// <summary>Reduces <paramref name="buffer"/> element-wise over ranks, in place, on every rank.</summary>
    void AllReduce(Span<double> buffer, ReductionOperation operation);

    /// <summary>Copies <paramref name="root"/>'s bytes into every rank's buffer.</summary>
    void Broadcast(Span<byte> buffer, int root);

    /// <summary>Waits until every rank has arrived.</summary>
    void Barrier();

    /// <summary>Splits the group: ranks with the same <paramref name="color"/> form a new communicator, ordered by <paramref name="key"/>. Collective.</summary>
    ICommunicator Split(int color, int key);
}
