namespace DestinyDsl.Runtime.Distributed.InProcess;

/// <summary>
/// The shared state of P in-process shards (one thread each): their published <see cref="ShardSlot"/>s, the
/// barrier they meet at, and the groups split from this one. Creates and owns the P communicators.
/// </summary>
internal sealed unsafe class SharedMemoryGroup
{
    private readonly ShardSlot[] _slots;
    private readonly SharedMemoryGroup?[] _splitResults;
    private readonly List<SharedMemoryGroup> _children = new();
    private readonly SharedMemoryCommunicator[] _communicators;

    public SharedMemoryGroup(int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "A shard group needs at least one shard.");
        Size = size;
        _slots = new ShardSlot[size];
        _splitResults = new SharedMemoryGroup?[size];
        Barrier = new SpinThenBlockBarrier(size);
        _communicators = new SharedMemoryCommunicator[size];
        for (int rank = 0; rank < size; rank++) _communicators[rank] = new SharedMemoryCommunicator(this, rank);
    }

    public int Size { get; }

    public SpinThenBlockBarrier Barrier { get; }

    /// <summary>One communicator per shard; shard r uses <c>Communicators[r]</c> from its own thread.</summary>
    public IReadOnlyList<SharedMemoryCommunicator> Communicators => _communicators;

    public ref ShardSlot Slot(int rank) => ref _slots[rank];

    /// <summary>
    /// Meets every shard at the start of a collective (abortable), then checks that all entered the same collective
    /// with the same shape. Every shard checks the same published data, so on a mismatch all of them throw here,
    /// before anyone touches a peer's buffer.
    /// </summary>
    public void Rendezvous()
    {
        Barrier.SignalAndWait();
        if (Disagreement() is { } problem)
        {
            var error = new InvalidOperationException(problem);
            Abort(error, includeChildren: false);
            throw error;
        }
    }

    /// <summary>Meets every shard at the end of a collective; always completes (see <see cref="SpinThenBlockBarrier"/>).</summary>
    public void Depart() => Barrier.SignalAndWaitToCompletion();

    /// <summary>Aborts this group (and, when asked, every group split from it) with <paramref name="reason"/>.</summary>
    public void Abort(Exception reason, bool includeChildren)
    {
        Barrier.Abort(reason);
        if (!includeChildren) return;
        SharedMemoryGroup[] children;
        lock (_children) children = _children.ToArray();
        foreach (var child in children) child.Abort(reason, includeChildren: true);
    }

    /// <summary>The in-process <c>MPI_Comm_split</c>: shards with the same color form a new group, ordered by (key, rank).</summary>
    public SharedMemoryCommunicator Split(int rank, int color, int key)
    {
        ref var mine = ref _slots[rank];
        mine.Kind = CollectiveKind.Split;
        mine.Color = color;
        mine.Key = key;
        Rendezvous();

        int newRank = 0, newSize = 0, leader = -1;
        for (int q = 0; q < Size; q++)
        {
            if (_slots[q].Color != color) continue;
            newSize++;
            if (Before(q, rank)) newRank++;
            if (leader < 0 || Before(q, leader)) leader = q;
        }

        if (rank == leader)
        {
            try
            {
                var child = new SharedMemoryGroup(newSize);
                lock (_children)
                {
                    _children.Add(child);
                    if (Barrier.AbortReason is { } reason) child.Abort(reason, includeChildren: true);
                }
                _splitResults[rank] = child;
            }
            catch (Exception error)
            {
                // Past the rendezvous every shard must reach the next barriers: record the failure instead of leaving.
                Abort(error, includeChildren: true);
                _splitResults[rank] = null;
            }
        }
        Barrier.SignalAndWaitToCompletion();
        var group = _splitResults[leader];
        Barrier.SignalAndWaitToCompletion();
        if (rank == leader) _splitResults[rank] = null;
        if (group is null) throw new CommunicatorAbortedException(Barrier.AbortReason ?? new InvalidOperationException("Split failed."));
        return group._communicators[newRank];
    }

    private bool Before(int a, int b) => _slots[a].Key < _slots[b].Key || (_slots[a].Key == _slots[b].Key && a < b);

    private string? Disagreement()
    {
        ref var first = ref _slots[0];
        for (int q = 1; q < Size; q++)
        {
            ref var other = ref _slots[q];
            if (other.Kind != first.Kind || !SameShape(ref first, ref other))
                return $"Collective mismatch in an in-process group of {Size} shards: shard 0 called {Describe(0)} but shard {q} called {Describe(q)}. "
                       + "Every shard must call the same collectives, in the same order, with the same counts and lengths.";
        }
        return null;
    }

    private bool SameShape(ref ShardSlot a, ref ShardSlot b)
    {
        switch (a.Kind)
        {
            case CollectiveKind.AllGather:
            case CollectiveKind.ReduceScatter:
            case CollectiveKind.Gather:
            case CollectiveKind.Scatter:
                if (a.Detail != b.Detail) return false;
                var countsA = new ReadOnlySpan<int>((int*)a.Counts, Size);
                var countsB = new ReadOnlySpan<int>((int*)b.Counts, Size);
                return countsA.SequenceEqual(countsB);
            case CollectiveKind.AllReduceFloat:
            case CollectiveKind.AllReduceDouble:
            case CollectiveKind.Broadcast:
                return a.Length == b.Length && a.Detail == b.Detail;
            default:
                return true;
        }
    }

    private string Describe(int rank)
    {
        ref var slot = ref _slots[rank];
        return slot.Kind switch
        {
            CollectiveKind.AllGather or CollectiveKind.ReduceScatter
                => $"{slot.Kind}(counts [{string.Join(", ", new ReadOnlySpan<int>((int*)slot.Counts, Size).ToArray())}])",
            CollectiveKind.Gather or CollectiveKind.Scatter
                => $"{slot.Kind}(counts [{string.Join(", ", new ReadOnlySpan<int>((int*)slot.Counts, Size).ToArray())}], root {slot.Detail})",
            CollectiveKind.AllReduceFloat => $"AllReduce<float>(length {slot.Length}, {(ReductionOperation)slot.Detail})",
            CollectiveKind.AllReduceDouble => $"AllReduce<double>(length {slot.Length}, {(ReductionOperation)slot.Detail})",
            CollectiveKind.Broadcast => $"Broadcast({slot.Length} bytes, root {slot.Detail})",
            _ => slot.Kind.ToString(),
        };
    }
}
