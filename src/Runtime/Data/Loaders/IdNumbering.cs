using System.Globalization;

namespace DestinyDsl.Runtime.Data;

/// <summary>
/// Numbers integer ids while a file streams by (provisional numbers in order of first appearance), then ranks
/// them in ascending id order, which is the order the final matrix uses.
/// </summary>
internal sealed class IdNumbering
{
    private readonly Dictionary<int, int> _provisional = new();
    private readonly List<int> _rawIds = new();
    private int[]? _sortedRawIds;

    public int Count => _rawIds.Count;

    public int Provisional(int rawId)
    {
        if (_provisional.TryGetValue(rawId, out var index)) return index;
        index = _rawIds.Count;
        _provisional.Add(rawId, index);
        _rawIds.Add(rawId);
        return index;
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
