namespace DestinyDsl.Runtime.Distributed;

/// <summary>The communicator of a group of one: every collective is a copy or nothing, and counts no traffic.</summary>
public sealed class SingleCommunicator : ICommunicator
{
    private Exception? _abortReason;

    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public CommunicationCounters Counters { get; } = new();

    /// <inheritdoc/>
    public void AllGather(ReadOnlySpan<float> local, Span<float> result, ReadOnlySpan<int> counts)
    {
        ThrowIfAborted();
        var shape = CollectiveArguments.Gather(local, result, counts, rank: 0, size: 1);
        if (!shape.InPlace) local[..shape.LocalCount].CopyTo(result);
    }

    /// <inheritdoc/>
    public void ReduceScatter(ReadOnlySpan<float> input, Span<float> localResult, ReadOnlySpan<int> counts)
    {
        ThrowIfAborted();
        var shape = CollectiveArguments.Scatter(input, localResult, counts, rank: 0, size: 1);
        input[..shape.LocalCount].CopyTo(localResult);
    }

    /// <inheritdoc/>
    public void Gather(ReadOnlySpan<float> local, Span<float> result, ReadOnlySpan<int> counts, int root)
    {
        ThrowIfAborted();
        var shape = CollectiveArguments.RootedGather(local, result, counts, rank: 0, size: 1, root);
        if (!shape.InPlace) local[..shape.LocalCount].CopyTo(result);
    }

    /// <inheritdoc/>
    public void Scatter(ReadOnlySpan<float> input, Span<float> localResult, ReadOnlySpan<int> counts, int root)
    {
        ThrowIfAborted();
        var shape = CollectiveArguments.RootedScatter(input, localResult, counts, rank: 0, size: 1, root);
        input[..shape.LocalCount].CopyTo(localResult);
    }

    /// <inheritdoc/>
    public void AllReduce(Span<float> buffer, ReductionOperation operation) => ThrowIfAborted();

    /// <inheritdoc/>
    public void AllReduce(Span<double> buffer, ReductionOperation operation) => ThrowIfAborted();

    /// <inheritdoc/>
    public void Broadcast(Span<byte> buffer, int root)
    {
        ThrowIfAborted();
        CollectiveArguments.Root(root, size: 1);
    }

    /// <inheritdoc/>
    public void Barrier() => ThrowIfAborted();

    /// <inheritdoc/>
    public ICommunicator Split(int color, int key)
    {
        ThrowIfAborted();
        CollectiveArguments.Color(color);
        return new SingleCommunicator();
    }

    /// <inheritdoc/>
    public void Abort(Exception reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Interlocked.CompareExchange(ref _abortReason, reason, null);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void ThrowIfAborted()
    {
        if (Volatile.Read(ref _abortReason) is { } reason) throw new CommunicatorAbortedException(reason);
    }
}
