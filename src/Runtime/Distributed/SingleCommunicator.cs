namespace DestinyDsl.Runtime.Distributed;

/// <summary>The communicator of a group of one: every collective is a copy or nothing.</summary>
public sealed class SingleCommunicator : ICommunicator
{
    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public CommunicationCounters Counters { get; } = new();

    /// <inheritdoc/>
    public void AllGather(ReadOnlySpan<float> local, Span<float> result, ReadOnlySpan<int> counts) => local[..counts[0]].CopyTo(result);

    /// <inheritdoc/>
    public void ReduceScatter(ReadOnlySpan<float> input, Span<float> localResult, ReadOnlySpan<int> counts) => input[..counts[0]].CopyTo(localResult);

    /// <inheritdoc/>
    public void AllReduce(Span<float> buffer, ReductionOperation operation)
    {
    }

    /// <inheritdoc/>
    public void AllReduce(Span<double> buffer, ReductionOperation operation)
    {
    }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> buffer, int root)
    {
    }

    /// <inheritdoc/>
    public void Barrier()
    {
    }

    /// <inheritdoc/>
    public ICommunicator Split(int color, int key) => new SingleCommunicator();

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
