using System.Numerics;

namespace DestinyDsl.Runtime.Distributed.InProcess;

/// <summary>
/// One shard's end of an in-process group: collectives over shared memory. Each call pins the caller's buffers,
/// publishes their addresses, meets the other shards, and copies straight from (or to) the peers' buffers — no
/// staging copies and no allocation in steady state. Reductions run in rank order (bit-identical on every shard).
/// </summary>
internal sealed unsafe class SharedMemoryCommunicator : ICommunicator
{
    // All-reduce below this many elements·(P−1): every shard reduces the whole buffer itself (two barriers);
    // above it each shard reduces a 1/P chunk and pushes it to all (three barriers, P× less reading).
    private const long WholeBufferReductionLimit = 16 * 1024;

    private readonly SharedMemoryGroup _group;
    private readonly nint[] _sources;
    private float[] _floatScratch = [];
    private double[] _doubleScratch = [];
    private int _busy;
    private bool _disposed;

    public SharedMemoryCommunicator(SharedMemoryGroup group, int rank)
    {
        _group = group;
        Rank = rank;
        _sources = new nint[group.Size];
    }

    public int Rank { get; }

    public int Size => _group.Size;

    public CommunicationCounters Counters { get; } = new();

    public void AllGather(ReadOnlySpan<float> local, Span<float> result, ReadOnlySpan<int> counts)
    {
        Enter();
        try
        {
            BlockShape shape;
            try { shape = CollectiveArguments.Gather(local, result, counts, Rank, Size); }
            catch (ArgumentException error) { AbortPeers(error); throw; }

            fixed (float* source = local)
            fixed (float* destination = result)
            fixed (int* countsPointer = counts)
            {
                Publish(CollectiveKind.AllGather, (nint)source, shape.Total, detail: 0, (nint)countsPointer);
                _group.Rendezvous();
                long offset = 0;
                for (int q = 0; q < Size; q++)
                {
                    int count = countsPointer[q];
                    if (count > 0 && !(q == Rank && shape.InPlace))
                        new ReadOnlySpan<float>((float*)_group.Slot(q).Source, count).CopyTo(new Span<float>(destination + offset, count));
                    offset += count;
                }
                _group.Depart();
            }
            Counters.AddAllGather(RingTraffic.AllGather(Size, (long)shape.Total * sizeof(float)));
        }
        finally
        {
            Exit();
        }
    }

    public void ReduceScatter(ReadOnlySpan<float> input, Span<float> localResult, ReadOnlySpan<int> counts)
    {
        Enter();
        try
        {
            BlockShape shape;
            try { shape = CollectiveArguments.Scatter(input, localResult, counts, Rank, Size); }
            catch (ArgumentException error) { AbortPeers(error); throw; }

            fixed (float* source = input)
            fixed (int* countsPointer = counts)
            {
                Publish(CollectiveKind.ReduceScatter, (nint)source, shape.Total, detail: 0, (nint)countsPointer);
                _group.Rendezvous();
                if (shape.LocalCount > 0)
                {
                    GatherSources();
                    RankOrderReduction.Reduce(_sources, shape.Offset, localResult[..shape.LocalCount], ReductionOperation.Sum);
                }
                _group.Depart();
            }
            Counters.AddReduceScatter(RingTraffic.ReduceScatter(Size, (long)shape.Total * sizeof(float)));
        }
        finally
        {
            Exit();
        }
    }

    public void Gather(ReadOnlySpan<float> local, Span<float> result, ReadOnlySpan<int> counts, int root)
    {
        Enter();
        try
        {
            BlockShape shape;
            try { shape = CollectiveArguments.RootedGather(local, result, counts, Rank, Size, root); }
            catch (ArgumentException error) { AbortPeers(error); throw; }

            fixed (float* source = local)
            fixed (float* destination = result)
            fixed (int* countsPointer = counts)
            {
                Publish(CollectiveKind.Gather, (nint)source, shape.Total, root, (nint)countsPointer);
                _group.Rendezvous();
                // Only the root reads: the others' blocks go straight from their buffers into the root's result.
                if (Rank == root)
                {
                    long offset = 0;
                    for (int q = 0; q < Size; q++)
                    {
                        int count = countsPointer[q];
                        if (count > 0 && !(q == Rank && shape.InPlace))
                            new ReadOnlySpan<float>((float*)_group.Slot(q).Source, count).CopyTo(new Span<float>(destination + offset, count));
                        offset += count;
                    }
                }
                _group.Depart();
            }
            if (Rank != root) Counters.AddGather((long)shape.LocalCount * sizeof(float));
        }
        finally
        {
            Exit();
        }
    }

    public void Scatter(ReadOnlySpan<float> input, Span<float> localResult, ReadOnlySpan<int> counts, int root)
    {
        Enter();
        try
        {
            BlockShape shape;
            try { shape = CollectiveArguments.RootedScatter(input, localResult, counts, Rank, Size, root); }
            catch (ArgumentException error) { AbortPeers(error); throw; }

            fixed (float* source = input)
            fixed (int* countsPointer = counts)
            {
                Publish(CollectiveKind.Scatter, (nint)source, shape.Total, root, (nint)countsPointer);
                _group.Rendezvous();
                // Every rank copies its own block out of the root's input.
                if (shape.LocalCount > 0)
                    new ReadOnlySpan<float>((float*)_group.Slot(root).Source + shape.Offset, shape.LocalCount).CopyTo(localResult);
                _group.Depart();
            }
            if (Rank == root) Counters.AddScatter((long)(shape.Total - shape.LocalCount) * sizeof(float));
        }
        finally
        {
            Exit();
        }
    }

    public void AllReduce(Span<float> buffer, ReductionOperation operation)
        => AllReduce(buffer, operation, CollectiveKind.AllReduceFloat, ref _floatScratch);

    public void AllReduce(Span<double> buffer, ReductionOperation operation)
        => AllReduce(buffer, operation, CollectiveKind.AllReduceDouble, ref _doubleScratch);

    public void Broadcast(Span<byte> buffer, int root)
    {
        Enter();
        try
        {
            try { CollectiveArguments.Root(root, Size); }
            catch (ArgumentException error) { AbortPeers(error); throw; }

            fixed (byte* pointer = buffer)
            {
                Publish(CollectiveKind.Broadcast, (nint)pointer, buffer.Length, root, counts: 0);
                _group.Rendezvous();
                if (Rank != root && buffer.Length > 0)
                    new ReadOnlySpan<byte>((byte*)_group.Slot(root).Source, buffer.Length).CopyTo(buffer);
                _group.Depart();
            }
            Counters.AddBroadcast(RingTraffic.Broadcast(Size, buffer.Length));
        }
        finally
        {
            Exit();
        }
    }

    public void Barrier()
    {
        Enter();
        try
        {
            Publish(CollectiveKind.Barrier, source: 0, length: 0, detail: 0, counts: 0);
            _group.Rendezvous();
            // The departure keeps every slot stable until all shards have checked it (see SharedMemoryGroup.Rendezvous).
            _group.Depart();
        }
        finally
        {
            Exit();
        }
    }

    public ICommunicator Split(int color, int key)
    {
        Enter();
        try
        {
            try { CollectiveArguments.Color(color); }
            catch (ArgumentException error) { AbortPeers(error); throw; }
            return _group.Split(Rank, color, key);
        }
        finally
        {
            Exit();
        }
    }

    public void Abort(Exception reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        _group.Abort(reason, includeChildren: true);
    }

    /// <summary>
    /// Leaves the group: a peer still waiting for this shard could only hang, so the group is aborted (collectives
    /// already past their rendezvous finish normally). Groups split from this one are unaffected.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _group.Abort(new ObjectDisposedException($"in-process shard {Rank} of {Size}", $"Shard {Rank} disposed its communicator (left the group)."), includeChildren: false);
    }

    private void AllReduce<T>(Span<T> buffer, ReductionOperation operation, CollectiveKind kind, ref T[] scratch)
        where T : unmanaged, INumber<T>
    {
        Enter();
        try
        {
            int length = buffer.Length;
            bool whole = (long)length * (Size - 1) <= WholeBufferReductionLimit;
            int chunkStart = whole ? 0 : (int)((long)length * Rank / Size);
            int chunkLength = whole ? length : (int)((long)length * (Rank + 1) / Size) - chunkStart;
            // Grow the private scratch before the rendezvous: past it nothing may throw.
            if (scratch.Length < chunkLength) scratch = new T[chunkLength];
            var reduced = scratch.AsSpan(0, chunkLength);

            fixed (T* pointer = buffer)
            {
                Publish(kind, (nint)pointer, length, (int)operation, counts: 0);
                _group.Rendezvous();
                GatherSources();
                RankOrderReduction.Reduce(_sources, chunkStart, reduced, operation);
                if (whole)
                {
                    _group.Depart(); // after this no peer reads our buffer
                    reduced.CopyTo(buffer);
                }
                else
                {
                    _group.Barrier.SignalAndWaitToCompletion(); // every chunk is reduced: buffers may be overwritten
                    for (int q = 0; q < Size; q++)
                        reduced.CopyTo(new Span<T>((T*)_sources[q] + chunkStart, chunkLength));
                    _group.Depart(); // every shard's buffer is complete
                }
            }
            Counters.AddAllReduce(RingTraffic.AllReduce(Size, (long)length * sizeof(T)));
        }
        finally
        {
            Exit();
        }
    }

    private void Publish(CollectiveKind kind, nint source, int length, int detail, nint counts)
    {
        ref var slot = ref _group.Slot(Rank);
        slot.Kind = kind;
        slot.Source = source;
        slot.Length = length;
        slot.Detail = detail;
        slot.Counts = counts;
    }

    private void GatherSources()
    {
        for (int q = 0; q < Size; q++) _sources[q] = _group.Slot(q).Source;
    }

    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
            throw new InvalidOperationException(
                $"Shard {Rank}'s communicator is already inside a collective on another thread: a communicator belongs to one shard and is called from one thread at a time.");
    }

    private void Exit() => Volatile.Write(ref _busy, 0);

    // A shard that rejects its arguments would leave its peers waiting at the rendezvous: abort them with the reason.
    private void AbortPeers(Exception error) => _group.Abort(error, includeChildren: false);
}
