using DestinyDsl.Runtime.Interop.Mpi;

namespace DestinyDsl.Runtime.Distributed.Mpi;

/// <summary>
/// One rank's communicator over an MPI communicator handle: each collective is the matching MPI call
/// (<c>MPI_Allgatherv</c>, <c>MPI_Gatherv</c>, <c>MPI_Scatterv</c>, <c>MPI_Reduce_scatter</c>, <c>MPI_Allreduce</c>, <c>MPI_Bcast</c>, <c>MPI_Barrier</c>,
/// <c>MPI_Comm_split</c>) on buffers pinned with <c>fixed</c> for the blocking call. Every return code is checked.
/// </summary>
internal sealed unsafe partial class MpiCommunicator : ICommunicator
{
    private readonly MpiSession _session;
    private readonly MpiApi _api;
    private readonly bool _ownsHandle;
    private readonly int[] _displacements;
    private nint _handle;

    /// <param name="ownsHandle">True for handles this object created (dup, split) and must free; false for <c>MPI_COMM_WORLD</c>.</param>
    public MpiCommunicator(MpiSession session, nint handle, bool ownsHandle)
    {
        _session = session;
        _api = session.Api;
        _handle = handle;
        _ownsHandle = ownsHandle;
        int rank = 0, size = 0;
        using (_session.BeginCall("MPI_Comm_rank")) _api.Check(_api.CommRank(handle, &rank), "MPI_Comm_rank");
        using (_session.BeginCall("MPI_Comm_size")) _api.Check(_api.CommSize(handle, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        _displacements = new int[size];
    }

    public int Rank { get; }

    public int Size { get; }

    public CommunicationCounters Counters { get; } = new();

    public MpiSession Session => _session;

    /// <summary>A private copy of this communicator (<c>MPI_Comm_dup</c>): collectives on it never match ours. Collective.</summary>
    public MpiCommunicator Duplicate()
    {
        nint copy = _api.CommNull;
        using (_session.BeginCall("MPI_Comm_dup")) _api.Check(_api.CommDup(Handle, &copy), "MPI_Comm_dup");
        return new MpiCommunicator(_session, copy, ownsHandle: true);
    }

    public void AllGather(ReadOnlySpan<float> local, Span<float> result, ReadOnlySpan<int> counts)
    {
        var shape = CollectiveArguments.Gather(local, result, counts, Rank, Size);
        if (shape.Total > 0)
        {
            int offset = 0;
            for (int r = 0; r < Size; r++)
            {
                _displacements[r] = offset;
                offset += counts[r];
            }
            byte sendDummy = 0, receiveDummy = 0;
            fixed (float* source = local)
            fixed (float* destination = result)
            fixed (int* countsPointer = counts)
            fixed (int* displacements = _displacements)
            {
                void* send = shape.InPlace ? _api.InPlace : NotNull(source, &sendDummy);
                using var call = _session.BeginCall("MPI_Allgatherv");
                _api.Check(_api.Allgatherv(send, shape.LocalCount, _api.Float, NotNull(destination, &receiveDummy), countsPointer, displacements, _api.Float, Handle),
                    "MPI_Allgatherv");
            }
        }
        Counters.AddAllGather(RingTraffic.AllGather(Size, (long)shape.Total * sizeof(float)));
    }

    public void ReduceScatter(ReadOnlySpan<float> input, Span<float> localResult, ReadOnlySpan<int> counts)
    {
        var shape = CollectiveArguments.Scatter(input, localResult, counts, Rank, Size);
        if (shape.Total > 0)
        {
            byte sendDummy = 0, receiveDummy = 0;
            fixed (float* source = input)
            fixed (float* destination = localResult)
            fixed (int* countsPointer = counts)
            {
                using var call = _session.BeginCall("MPI_Reduce_scatter");
                _api.Check(_api.ReduceScatter(NotNull(source, &sendDummy), NotNull(destination, &receiveDummy), countsPointer, _api.Float, _api.OpSum, Handle),
                    "MPI_Reduce_scatter");
            }
        }
        Counters.AddReduceScatter(RingTraffic.ReduceScatter(Size, (long)shape.Total * sizeof(float)));
    }

    public void Gather(ReadOnlySpan<float> local, Span<float> result, ReadOnlySpan<int> counts, int root)
    {
        var shape = CollectiveArguments.RootedGather(local, result, counts, Rank, Size, root);
        if (shape.Total > 0)
        {
            Displacements(counts);
            byte sendDummy = 0, receiveDummy = 0;
            fixed (float* source = local)
            fixed (float* destination = result)
            fixed (int* countsPointer = counts)
            fixed (int* displacements = _displacements)
            {
                // The receive arguments are significant at the root only.
                void* send = shape.InPlace ? _api.InPlace : NotNull(source, &sendDummy);
                using var call = _session.BeginCall("MPI_Gatherv");
                _api.Check(_api.Gatherv(send, shape.LocalCount, _api.Float, NotNull(destination, &receiveDummy), countsPointer, displacements, _api.Float, root, Handle),
                    "MPI_Gatherv");
            }
        }
        if (Rank != root) Counters.AddGather((long)shape.LocalCount * sizeof(float));
    }

    public void Scatter(ReadOnlySpan<float> input, Span<float> localResult, ReadOnlySpan<int> counts, int root)
    {
        var shape = CollectiveArguments.RootedScatter(input, localResult, counts, Rank, Size, root);
        if (shape.Total > 0)
        {
            Displacements(counts);
            byte sendDummy = 0, receiveDummy = 0;
            fixed (float* source = input)
            fixed (float* destination = localResult)
            fixed (int* countsPointer = counts)
            fixed (int* displacements = _displacements)
            {
                // The send arguments are significant at the root only.
                using var call = _session.BeginCall("MPI_Scatterv");
                _api.Check(_api.Scatterv(NotNull(source, &sendDummy), countsPointer, displacements, _api.Float, NotNull(destination, &receiveDummy), shape.LocalCount, _api.Float, root, Handle),
                    "MPI_Scatterv");
            }
        }
        if (Rank == root) Counters.AddScatter((long)(shape.Total - shape.LocalCount) * sizeof(float));
    }

    public void AllReduce(Span<float> buffer, ReductionOperation operation)
    {
        if (buffer.Length > 0)
        {
            fixed (float* pointer = buffer) AllReduce(pointer, buffer.Length, _api.Float, operation);
        }
        Counters.AddAllReduce(RingTraffic.AllReduce(Size, (long)buffer.Length * sizeof(float)));
    }

    public void AllReduce(Span<double> buffer, ReductionOperation operation)
    {
        if (buffer.Length > 0)
        {
            fixed (double* pointer = buffer) AllReduce(pointer, buffer.Length, _api.Double, operation);
        }
        Counters.AddAllReduce(RingTraffic.AllReduce(Size, (long)buffer.Length * sizeof(double)));
    }

    public void Broadcast(Span<byte> buffer, int root)
    {
        CollectiveArguments.Root(root, Size);
        if (buffer.Length > 0)
        {
            fixed (byte* pointer = buffer)
            {
                using var call = _session.BeginCall("MPI_Bcast");
                _api.Check(_api.Bcast(pointer, buffer.Length, _api.Byte, root, Handle), "MPI_Bcast");
            }
        }
        Counters.AddBroadcast(RingTraffic.Broadcast(Size, buffer.Length));
    }

    public void Barrier()
    {
        using var call = _session.BeginCall("MPI_Barrier");
        _api.Check(_api.Barrier(Handle), "MPI_Barrier");
    }

    public ICommunicator Split(int color, int key) => SplitCommunicator(color, key);

    /// <summary><c>MPI_Comm_split</c>: ranks with the same color form a new communicator, ordered by (key, rank). Collective.</summary>
    public MpiCommunicator SplitCommunicator(int color, int key)
    {
        CollectiveArguments.Color(color);
        nint part = _api.CommNull;
        using (_session.BeginCall("MPI_Comm_split")) _api.Check(_api.CommSplit(Handle, color, key, &part), "MPI_Comm_split");
        return new MpiCommunicator(_session, part, ownsHandle: true);
    }

    /// <summary>Ends the whole MPI job (<c>MPI_Abort</c>), printing <paramref name="reason"/>: the other ranks cannot be unblocked any other way.</summary>
    public void Abort(Exception reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        _session.Abort(reason, errorCode: 1);
    }

    /// <summary>Frees the communicator (<c>MPI_Comm_free</c>) unless it is the world or MPI has already ended.</summary>
    public void Dispose()
    {
        if (_handle == _api.CommNull) return;
        nint handle = _handle;
        _handle = _api.CommNull;
        if (!_ownsHandle || _session.HasEnded) return;
        using var call = _session.BeginCall("MPI_Comm_free");
        _api.Check(_api.CommFree(&handle), "MPI_Comm_free");
    }

    private nint Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == _api.CommNull, this);
            return _handle;
        }
    }

    private void Displacements(ReadOnlySpan<int> counts)
    {
        int offset = 0;
        for (int r = 0; r < Size; r++)
        {
            _displacements[r] = offset;
            offset += counts[r];
        }
    }

    private void AllReduce(void* buffer, int count, nint datatype, ReductionOperation operation)
    {
        var op = operation == ReductionOperation.Sum ? _api.OpSum : _api.OpMax;
        using var call = _session.BeginCall("MPI_Allreduce");
        _api.Check(_api.Allreduce(_api.InPlace, buffer, count, datatype, op, Handle), "MPI_Allreduce");
    }

    // An empty span pins to null; MPI libraries check (and some reject) null buffers and aliasing of two nulls even
    // when the count is zero, so empty blocks point at distinct dummies instead.
    private static void* NotNull(void* pointer, byte* dummy) => pointer != null ? pointer : dummy;
}
