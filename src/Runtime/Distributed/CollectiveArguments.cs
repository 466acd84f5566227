namespace DestinyDsl.Runtime.Distributed;

/// <summary>The shape of an all-gather or reduce-scatter call once its arguments are checked.</summary>
/// <param name="Total">Sum of the counts (elements of the full buffer).</param>
/// <param name="Offset">Where this rank's block starts in the full buffer.</param>
/// <param name="LocalCount">This rank's count.</param>
/// <param name="InPlace">All-gather only: the local block already sits at its place in the result.</param>
internal readonly record struct BlockShape(int Total, int Offset, int LocalCount, bool InPlace);

/// <summary>
/// Argument checks shared by every communicator, so every transport rejects the same calls with the same messages
/// (the call, the argument, expected vs found). MPI counts are 32-bit, so totals must fit an <see cref="int"/>.
/// </summary>
internal static class CollectiveArguments
{
    public static BlockShape Gather<T>(ReadOnlySpan<T> local, Span<T> result, ReadOnlySpan<int> counts, int rank, int size)
    {
        var (total, offset) = Counts(counts, rank, size, nameof(ICommunicator.AllGather));
        int mine = counts[rank];
        if (local.Length < mine)
            throw new ArgumentException($"AllGather on rank {rank}: local has {local.Length} elements but counts[{rank}] = {mine}.", nameof(local));
        if (result.Length < total)
            throw new ArgumentException($"AllGather on rank {rank}: result has {result.Length} elements but the counts sum to {total}.", nameof(result));
        bool inPlace = false;
        // elementOffset = where local starts relative to result's first element.
        if (mine > 0 && ((ReadOnlySpan<T>)result[..total]).Overlaps(local[..mine], out int elementOffset))
        {
            inPlace = elementOffset == offset;
            if (!inPlace)
                throw new ArgumentException(
                    $"AllGather on rank {rank}: local overlaps result at element {elementOffset}; it may only alias its own block (element {offset}), for an in-place gather.",
                    nameof(local));
        }
        return new BlockShape(total, offset, mine, inPlace);
    }

    public static BlockShape Scatter<T>(ReadOnlySpan<T> input, Span<T> localResult, ReadOnlySpan<int> counts, int rank, int size)
    {
        var (total, offset) = Counts(counts, rank, size, nameof(ICommunicator.ReduceScatter));
        int mine = counts[rank];
        if (input.Length < total)
            throw new ArgumentException($"ReduceScatter on rank {rank}: input has {input.Length} elements but the counts sum to {total}.", nameof(input));
        if (localResult.Length < mine)
            throw new ArgumentException($"ReduceScatter on rank {rank}: localResult has {localResult.Length} elements but counts[{rank}] = {mine}.", nameof(localResult));
        if (mine > 0 && total > 0 && input[..total].Overlaps(localResult[..mine]))
            throw new ArgumentException($"ReduceScatter on rank {rank}: localResult overlaps input; they must be separate buffers.", nameof(localResult));
        return new BlockShape(total, offset, mine, InPlace: false);
    }

    /// <summary>A rooted gather: <paramref name="result"/> is checked on the root only (the others' is not used).</summary>
    public static BlockShape RootedGather<T>(ReadOnlySpan<T> local, Span<T> result, ReadOnlySpan<int> counts, int rank, int size, int root)
    {
        RootOf(nameof(ICommunicator.Gather), root, size);
        var (total, offset) = Counts(counts, rank, size, nameof(ICommunicator.Gather));
        int mine = counts[rank];
        if (local.Length < mine)
            throw new ArgumentException($"Gather on rank {rank}: local has {local.Length} elements but counts[{rank}] = {mine}.", nameof(local));
        bool inPlace = false;
        if (rank == root)
        {
            if (result.Length < total)
                throw new ArgumentException($"Gather on rank {rank} (the root): result has {result.Length} elements but the counts sum to {total}.", nameof(result));
            if (mine > 0 && ((ReadOnlySpan<T>)result[..total]).Overlaps(local[..mine], out int elementOffset))
            {
                inPlace = elementOffset == offset;
                if (!inPlace)
                    throw new ArgumentException(
                        $"Gather on rank {rank}: local overlaps result at element {elementOffset}; it may only alias its own block (element {offset}).", nameof(local));
            }
        }
        return new BlockShape(total, offset, mine, inPlace);
    }

    /// <summary>A rooted scatter: <paramref name="input"/> is checked on the root only (the others' is not read).</summary>
    public static BlockShape RootedScatter<T>(ReadOnlySpan<T> input, Span<T> localResult, ReadOnlySpan<int> counts, int rank, int size, int root)
    {
        RootOf(nameof(ICommunicator.Scatter), root, size);
        var (total, offset) = Counts(counts, rank, size, nameof(ICommunicator.Scatter));
        int mine = counts[rank];
        if (localResult.Length < mine)
            throw new ArgumentException($"Scatter on rank {rank}: localResult has {localResult.Length} elements but counts[{rank}] = {mine}.", nameof(localResult));
        if (rank == root)
        {
            if (input.Length < total)
                throw new ArgumentException($"Scatter on rank {rank} (the root): input has {input.Length} elements but the counts sum to {total}.", nameof(input));
            if (mine > 0 && total > 0 && input[..total].Overlaps(localResult[..mine]))
                throw new ArgumentException($"Scatter on rank {rank}: localResult overlaps input; they must be separate buffers.", nameof(localResult));
        }
        return new BlockShape(total, offset, mine, InPlace: false);
    }

    private static void RootOf(string call, int root, int size)
    {
        if ((uint)root >= (uint)size)
            throw new ArgumentOutOfRangeException(nameof(root), root, $"{call} root must be a rank of the group, 0..{size - 1}.");
    }

    public static void Root(int root, int size)
    {
        if ((uint)root >= (uint)size)
            throw new ArgumentOutOfRangeException(nameof(root), root, $"Broadcast root must be a rank of the group, 0..{size - 1}.");
    }

    public static void Color(int color)
    {
        if (color < 0)
            throw new ArgumentOutOfRangeException(nameof(color), color, "Split color must be zero or positive: every rank joins one of the new groups.");
    }

    private static (int Total, int Offset) Counts(ReadOnlySpan<int> counts, int rank, int size, string call)
    {
        if (counts.Length != size)
            throw new ArgumentException($"{call} on rank {rank}: counts has {counts.Length} entries but the group has {size} ranks.", nameof(counts));
        long total = 0, offset = 0;
        for (int r = 0; r < counts.Length; r++)
        {
            if (counts[r] < 0)
                throw new ArgumentException($"{call} on rank {rank}: counts[{r}] = {counts[r]} is negative.", nameof(counts));
            if (r == rank) offset = total;
            total += counts[r];
        }
        if (total > int.MaxValue)
            throw new ArgumentException($"{call} on rank {rank}: the counts sum to {total} elements, more than the {int.MaxValue} one collective can move (MPI counts are 32-bit).", nameof(counts));
        return ((int)total, (int)offset);
    }
}
