namespace DestinyDsl.Runtime.Data.IO;

/// <summary>
/// An append-only list stored in fixed-size chunks. Loaders collect tens of millions of entries before they know
/// the count; doubling a single array would briefly need three times the final size, chunks need one chunk extra.
/// </summary>
internal sealed class ChunkedList<T>
{
    private const int ChunkShift = 20;               // 1 Mi elements per chunk
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;
    private readonly List<T[]> _chunks = new();

    public long Count { get; private set; }

    public void Add(T item)
    {
        var within = (int)(Count & ChunkMask);
        if (within == 0) _chunks.Add(new T[ChunkSize]);
        _chunks[^1][within] = item;
        Count++;
    }

    public void AddRange(ReadOnlySpan<T> items)
    {
        while (!items.IsEmpty)
        {
            var within = (int)(Count & ChunkMask);
            if (within == 0) _chunks.Add(new T[ChunkSize]);
            var take = Math.Min(items.Length, ChunkSize - within);
            items[..take].CopyTo(_chunks[^1].AsSpan(within));
            items = items[take..];
            Count += take;
        }
    }

    public T this[long index]
    {
        get => _chunks[(int)(index >> ChunkShift)][index & ChunkMask];
        set => _chunks[(int)(index >> ChunkShift)][index & ChunkMask] = value;
    }

    /// <summary>Copies everything into one exact-size array and drops the chunks as it goes.</summary>
    public T[] ToArrayAndClear()
    {
        if (Count > Array.MaxLength) throw new InvalidOperationException($"{Count} entries exceed the largest .NET array ({Array.MaxLength}).");
        var result = new T[Count];
        var at = 0;
        for (var c = 0; c < _chunks.Count; c++)
        {
            var take = (int)Math.Min(ChunkSize, Count - at);
            _chunks[c].AsSpan(0, take).CopyTo(result.AsSpan(at));
            _chunks[c] = null!;
            at += take;
        }
        _chunks.Clear();
        Count = 0;
        return result;
    }

    /// <summary>Visits the contents chunk by chunk in order.</summary>
    public IEnumerable<ArraySegment<T>> Segments()
    {
        long remaining = Count;
        foreach (var chunk in _chunks)
        {
            var take = (int)Math.Min(ChunkSize, remaining);
            yield return new ArraySegment<T>(chunk, 0, take);
            remaining -= take;
        }
    }
}
