using System.Globalization;

namespace DestinyDsl.Runtime.Data;

/// <summary>
/// Numbers integer ids while a file streams by (provisional numbers in order of first appearance), then ranks
/// them in ascending id order, which is the order the final matrix uses.
/// </summary>
internal sealed class IdNumbering
{
    // Ids below this go through a direct table (MovieLens ids are dense-ish and below a million); a hash lookup per
    // field was the slowest step of loading ml-25m. Larger ids, which would make the table huge, use the dictionary.
    private const int TableLimit = 1 << 24;
    private readonly Dictionary<int, int> _provisional = new();
    private readonly List<int> _rawIds = new();
    private int[] _table = new int[1024];           // provisional index + 1; 0 = not seen yet
    private int[]? _sortedRawIds;

    public int Count => _rawIds.Count;

    public int Provisional(int rawId)
    {
        if (rawId < TableLimit)
        {
            if (rawId >= _table.Length) Array.Resize(ref _table, Math.Min(TableLimit, Math.Max(rawId + 1, _table.Length * 2)));
            var stored = _table[rawId];
            if (stored != 0) return stored - 1;
            _table[rawId] = _rawIds.Count + 1;
        }
        else if (_provisional.TryGetValue(rawId, out var known))
        {
            return known;
        }
        else
        {
            _provisional.Add(rawId, _rawIds.Count);
        }
        _rawIds.Add(rawId);
        return _rawIds.Count - 1;
    }

    /// <summary>For each provisional number, its rank among the ids in ascending order.</summary>
    public int[] SortedRanks()
    {
        var order = Enumerable.Range(0, _rawIds.Count).ToArray();
        var keys = _rawIds.ToArray();
        Array.Sort(keys, order);
        _sortedRawIds = keys;
        var rank = new int[order.Length];
        for (var r = 0; r < order.Length; r++) rank[order[r]] = r;
        return rank;
    }

    public int RawIdOfSorted(int rank) => Sorted()[rank];

    public IndexMap ToIndexMap()
    {
        var sorted = Sorted();
        var ids = new string[sorted.Length];
        var indices = new Dictionary<string, int>(sorted.Length, StringComparer.Ordinal);
        for (var i = 0; i < sorted.Length; i++)
        {
            ids[i] = sorted[i].ToString(CultureInfo.InvariantCulture);
            indices.Add(ids[i], i);
        }
        return new IndexMap(ids, indices);
    }

    private int[] Sorted() => _sortedRawIds ?? throw new InvalidOperationException("SortedRanks must run first.");
}
