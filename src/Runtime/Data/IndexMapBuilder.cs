namespace DestinyDsl.Runtime.Data;

/// <summary>Assigns dense indices to ids in order of first appearance while a file is read.</summary>
internal sealed class IndexMapBuilder
{
    private readonly List<string> _ids = new();
    private readonly Dictionary<string, int> _indices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public IndexMapBuilder() => _lookup = _indices.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _ids.Count;

    /// <summary>Index of <paramref name="id"/>, adding it (and allocating its string) only the first time.</summary>
    public int GetOrAdd(ReadOnlySpan<char> id, out bool added)
    {
        if (_lookup.TryGetValue(id, out var index))
        {
            added = false;
            return index;
        }
        index = _ids.Count;
        var text = id.ToString();
        _ids.Add(text);
        _indices.Add(text, index);
        added = true;
        return index;
    }

    public string IdAt(int index) => _ids[index];

    /// <summary>Index of an id known to be present.</summary>
    public int IndexOfExisting(ReadOnlySpan<char> id) => _lookup.TryGetValue(id, out var index) ? index : throw new KeyNotFoundException($"'{id}' was never added.");

    public IndexMap Build() => new(_ids.ToArray(), _indices);
}
