using System.Collections;

namespace DestinyDsl.Runtime.Data;

/// <summary>
/// External ids (strings: user ids, movie ids, feature names) ⇄ dense indices 0..Count−1 (matrix rows or columns).
/// Immutable. The index order is the order of the ids given to the constructor; each loader documents which order
/// it uses (MovieLens loaders: numeric order of the ids; DSSTNE text: order of first appearance, as generateNetCDF).
/// </summary>
public sealed class IndexMap : IReadOnlyList<string>
{
    private readonly string[] _ids;
    private readonly Dictionary<string, int> _indices;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanLookup;

    /// <summary>Builds a map whose index i is the i-th id of <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentException">An id is null or appears twice.</exception>
    public IndexMap(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        _ids = ids.ToArray();
        _indices = new Dictionary<string, int>(_ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < _ids.Length; i++)
        {
            var id = _ids[i] ?? throw new ArgumentException($"Id at index {i} is null.", nameof(ids));
            if (!_indices.TryAdd(id, i)) throw new ArgumentException($"Id '{id}' appears twice (indices {_indices[id]} and {i}).", nameof(ids));
        }
        _spanLookup = _indices.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    // Used by IndexMapBuilder: the dictionary was built alongside the array and is known to be consistent.
    internal IndexMap(string[] ids, Dictionary<string, int> indices)
    {
        _ids = ids;
        _indices = indices;
        _spanLookup = _indices.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Ids "prefix1", "prefix2", …, "prefix{count}" (one-based, like MovieLens ids).</summary>
    public static IndexMap Numbered(string prefix, int count)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ids = new string[count];
        for (var i = 0; i < count; i++) ids[i] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}{i + 1}");
        return new IndexMap(ids);
    }

    /// <summary>Number of ids.</summary>
    public int Count => _ids.Length;

    /// <summary>The id at <paramref name="index"/> (same as <see cref="ExternalId"/>).</summary>
    public string this[int index] => ExternalId(index);

    /// <summary>Index of <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">The id is not in the map (use <see cref="TryGetIndex(string, out int)"/> to test).</exception>
    public int IndexOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _indices.TryGetValue(id, out var index)
            ? index
            : throw new KeyNotFoundException($"Id '{id}' is not in the index map ({Count} ids).");
    }

    /// <summary>Looks up <paramref name="id"/>; false when it is not in the map.</summary>
    public bool TryGetIndex(string id, out int index)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _indices.TryGetValue(id, out index);
    }

    /// <summary>Looks up an id given as characters, without allocating a string.</summary>
    public bool TryGetIndex(ReadOnlySpan<char> id, out int index) => _spanLookup.TryGetValue(id, out index);

    /// <summary>The external id of dense index <paramref name="index"/>.</summary>
    public string ExternalId(int index)
    {
        if ((uint)index >= (uint)_ids.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"Index must be in [0, {Count}).");
        return _ids[index];
    }

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_ids).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
