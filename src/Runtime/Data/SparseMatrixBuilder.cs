using DestinyDsl.Runtime.Data.IO;

namespace DestinyDsl.Runtime.Data;

/// <summary>
/// Builds a <see cref="SparseMatrix"/> one row at a time. Each row's entries may come in any order: the builder
/// sorts them by column. A column given twice in one row is rejected (an <see cref="ArgumentException"/> naming
/// the row and column) rather than summed, because for indicator data a sum has no meaning and for valued data a
/// silent sum hides a bug in the caller; callers that want sums should add them up before.
/// </summary>
/// <remarks>Storage grows in fixed-size chunks, so building needs about one final copy of the data, not three.</remarks>
public sealed class SparseMatrixBuilder
{
    private readonly int? _columns;
    private readonly ChunkedList<int> _indices = new();
    private readonly ChunkedList<float>? _values;
    private readonly ChunkedList<long> _offsets = new();
    private int[] _scratchIndices = new int[64];
    private float[] _scratchValues = new float[64];
    private int _maxColumn = -1;
    private bool _built;

    /// <summary>Creates a builder.</summary>
    /// <param name="columns">Fixed column count (entries must be below it), or null to use the largest column + 1.</param>
    /// <param name="withValues">Store a value per entry; otherwise the matrix holds indicators (every entry is 1).</param>
    public SparseMatrixBuilder(int? columns = null, bool withValues = false)
    {
        if (columns is <= 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, "Column count must be positive.");
        _columns = columns;
        _values = withValues ? new ChunkedList<float>() : null;
        _offsets.Add(0);
    }

    /// <summary>Rows added so far.</summary>
    public int Rows => (int)(_offsets.Count - 1);

    /// <summary>Entries added so far.</summary>
    public long NonZeroCount => _indices.Count;

    /// <summary>Whether the builder stores values.</summary>
    public bool HasValues => _values is not null;

    /// <summary>Adds a row of indicator entries (value 1 when the builder stores values).</summary>
    public void AddRow(ReadOnlySpan<int> columns) => Add(columns, default, valuesGiven: false);

    /// <summary>Adds a row of (column, value) entries; requires a builder created with <c>withValues: true</c>.</summary>
    public void AddRow(ReadOnlySpan<int> columns, ReadOnlySpan<float> values)
    {
        if (_values is null) throw new InvalidOperationException("This builder stores indicators only; create it with withValues: true to add values.");
        if (values.Length != columns.Length) throw new ArgumentException($"Row {Rows}: {columns.Length} columns but {values.Length} values.", nameof(values));
        Add(columns, values, valuesGiven: true);
    }

    /// <summary>Builds the matrix (column count as given to the constructor, or largest column + 1). The builder is spent.</summary>
    public SparseMatrix Build()
    {
        var columns = _columns ?? _maxColumn + 1;
        if (columns <= 0) throw new InvalidOperationException("No entries were added and no column count was given, so the matrix would have no columns.");
        return BuildWith(columns);
    }

    /// <summary>Builds the matrix with <paramref name="columns"/> columns (at least largest column + 1). The builder is spent.</summary>
    public SparseMatrix Build(int columns)
    {
        if (columns <= _maxColumn) throw new ArgumentOutOfRangeException(nameof(columns), columns, $"An entry has column {_maxColumn}, so the matrix needs at least {_maxColumn + 1} columns.");
        if (_columns is { } fixedColumns && columns != fixedColumns) throw new ArgumentException($"The builder was created for {fixedColumns} columns, not {columns}.", nameof(columns));
        if (columns <= 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, "Column count must be positive.");
        return BuildWith(columns);
    }

    private SparseMatrix BuildWith(int columns)
    {
        CheckNotBuilt();
        _built = true;
        var rows = Rows;
        var offsets = _offsets.ToArrayAndClear();
        var indices = _indices.ToArrayAndClear();
        var values = _values?.ToArrayAndClear();
        return SparseMatrix.CreateTrusted(rows, columns, offsets, indices, values);
    }

    private void Add(ReadOnlySpan<int> columns, ReadOnlySpan<float> values, bool valuesGiven)
    {
        CheckNotBuilt();
        if (Rows == int.MaxValue) throw new InvalidOperationException("The matrix already has the largest possible number of rows.");
        var n = columns.Length;
        if (_scratchIndices.Length < n)
        {
            _scratchIndices = new int[Math.Max(n, _scratchIndices.Length * 2)];
            _scratchValues = new float[_scratchIndices.Length];
        }
        var sortedIndices = _scratchIndices.AsSpan(0, n);
        var sortedValues = _scratchValues.AsSpan(0, n);
        columns.CopyTo(sortedIndices);
        if (valuesGiven) values.CopyTo(sortedValues);
        else sortedValues.Fill(1f);

        if (!IsStrictlyAscending(sortedIndices))
        {
            sortedIndices.Sort(sortedValues);
        }
        for (var i = 0; i < n; i++)
        {
            var c = sortedIndices[i];
            if (c < 0) throw new ArgumentOutOfRangeException(nameof(columns), $"Row {Rows} has negative column {c}.");
            if (_columns is { } limit && c >= limit) throw new ArgumentOutOfRangeException(nameof(columns), $"Row {Rows} has column {c} outside [0, {limit}).");
            if (i > 0 && sortedIndices[i - 1] == c) throw new ArgumentException($"Row {Rows} has column {c} twice.", nameof(columns));
        }

        if (n > 0) _maxColumn = Math.Max(_maxColumn, sortedIndices[n - 1]);
        _indices.AddRange(sortedIndices);
        _values?.AddRange(sortedValues);
        _offsets.Add(_indices.Count);
    }

    private static bool IsStrictlyAscending(ReadOnlySpan<int> span)
    {
        for (var i = 1; i < span.Length; i++)
        {
            if (span[i - 1] >= span[i]) return false;
        }
        return true;
    }

    private void CheckNotBuilt()
    {
        if (_built) throw new InvalidOperationException("Build was already called; create a new builder.");
    }
}
