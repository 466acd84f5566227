namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// The rows of one mini-batch gathered from a <see cref="SparseSlice"/> into reusable CSR buffers (int offsets,
/// local columns), optionally denoised: each stored entry dropped with probability p and survivors scaled by
/// 1/(1 − p), keyed by (seed, epoch, example, global column) so every shard drops the same entries.
/// </summary>
internal sealed class SparseBatch
{
    private int[] _offsets = new int[1];
    private int[] _columns = Array.Empty<int>();
    private float[] _values = Array.Empty<float>();

    public int Rows { get; private set; }

    public int[] Offsets => _offsets;

    public int[] Columns => _columns;

    /// <summary>Values, or null when every entry of the batch is 1.</summary>
    public float[]? Values { get; private set; }

    /// <summary>
    /// Fills the batch with the columns in [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="rows"/>
    /// of <paramref name="matrix"/>, as local ids (column − start), no values: e.g. each row's seen items on one shard.
    /// </summary>
    public void FillColumns(Data.SparseMatrix matrix, ReadOnlySpan<int> rows, int start, int end)
    {
        Rows = rows.Length;
        if (_offsets.Length < rows.Length + 1) _offsets = new int[rows.Length + 1];
        var at = 0;
        _offsets[0] = 0;
        for (var b = 0; b < rows.Length; b++)
        {
            foreach (var c in matrix.RowIndices(rows[b]))
            {
                if (c < start || c >= end) continue;
                if (at == _columns.Length)
                {
                    // Columns and values grow together: Fill relies on their lengths being equal.
                    Array.Resize(ref _columns, Math.Max(16, _columns.Length * 2));
                    Array.Resize(ref _values, _columns.Length);
                }
                _columns[at++] = c - start;
            }
            _offsets[b + 1] = at;
        }
        Values = null;
    }

    /// <summary>Fills the batch with <paramref name="rows"/> of <paramref name="slice"/>.</summary>
    /// <param name="denoiseKey">Stream key for this epoch's denoising draws (ignored when <paramref name="denoising"/> is 0).</param>
    /// <param name="fullWidth">The layer's full width (the counter stride).</param>
    public void Fill(SparseSlice slice, ReadOnlySpan<int> rows, float denoising, ulong denoiseKey, int fullWidth)
    {
        Rows = rows.Length;
        if (_offsets.Length < rows.Length + 1) _offsets = new int[rows.Length + 1];
        long total = 0;
        foreach (var r in rows) total += slice.Offsets[r + 1] - slice.Offsets[r];
        if (total > int.MaxValue) throw new InvalidOperationException($"A mini-batch of {rows.Length} rows holds {total} non-zeros on one shard; use a smaller batch or more shards.");
        if (_columns.Length < total)
        {
            _columns = new int[Math.Max(total, _columns.Length * 2L)];
            _values = new float[_columns.Length];
        }
        var scaled = denoising > 0f;
        var scale = scaled ? 1f / (1f - denoising) : 1f;
        var at = 0;
        _offsets[0] = 0;
        for (var b = 0; b < rows.Length; b++)
        {
            var r = rows[b];
            for (var i = slice.Offsets[r]; i < slice.Offsets[r + 1]; i++)
            {
                var column = slice.Indices[i];
                var value = slice.Values is null ? 1f : slice.Values[i];
                if (scaled)
                {
                    var counter = ((ulong)r * (ulong)fullWidth) + (ulong)(slice.ColumnOffset + column);
                    if (CounterRng.Uniform(denoiseKey, counter) < denoising) continue;
                    value *= scale;
                }
                _columns[at] = column;
                _values[at] = value;
                at++;
            }
            _offsets[b + 1] = at;
        }
        Values = scaled || slice.Values is not null ? _values : null;
    }
}
