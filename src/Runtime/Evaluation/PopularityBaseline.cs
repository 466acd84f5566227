using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Evaluation;

/// <summary>
/// Recommends the most popular items: columns ranked by how many training rows contain them (ties: lower column
/// first), skipping the items the row has already seen. The baseline every recommender must beat.
/// </summary>
public sealed class PopularityBaseline
{
    private readonly long[] _counts;
    private readonly int[] _ranking;

    /// <summary>Counts every column's training rows.</summary>
    public PopularityBaseline(SparseMatrix train)
    {
        ArgumentNullException.ThrowIfNull(train);
        Columns = train.Columns;
        _counts = new long[train.Columns];
        foreach (var c in train.ColumnIndices) _counts[c]++;
        _ranking = Enumerable.Range(0, train.Columns).ToArray();
        var counts = _counts;
        Array.Sort(_ranking, (a, b) => counts[a] != counts[b] ? counts[b].CompareTo(counts[a]) : a.CompareTo(b));
    }

    /// <summary>Number of columns (items).</summary>
    public int Columns { get; }

    /// <summary>Training rows containing each column.</summary>
    public ReadOnlySpan<long> Counts => _counts;

    /// <summary>All columns, most popular first.</summary>
    public ReadOnlySpan<int> Ranking => _ranking;

    /// <summary>The <paramref name="k"/> most popular columns not in row <paramref name="row"/> of <paramref name="seen"/> (fewer if the row has seen almost everything).</summary>
    public int[] Recommend(int row, SparseMatrix seen, int k)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (seen.Columns != Columns) throw new ArgumentException($"The seen matrix has {seen.Columns} columns; the baseline was trained on {Columns}.", nameof(seen));
        if ((uint)row >= (uint)seen.Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {seen.Rows}).");

        var exclude = seen.RowIndices(row);
        var result = new List<int>(Math.Min(k, Columns));
        foreach (var column in _ranking)
        {
            if (result.Count == k) break;
            if (exclude.BinarySearch(column) < 0) result.Add(column);
        }
        return result.ToArray();
    }
}
