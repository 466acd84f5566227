using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Training;

/// <summary>
/// The data bound to a network's input layers, by layer name: a sparse or dense matrix per input layer,
/// all with the same number of rows (examples). Output targets name an input layer, so they come from here too.
/// </summary>
public sealed class NetworkData
{
    private readonly Dictionary<string, object> _inputs = new(StringComparer.Ordinal);

    /// <summary>Number of examples (rows) shared by every bound matrix; -1 while empty.</summary>
    public int Rows { get; private set; } = -1;

    /// <summary>Binds a sparse matrix to an input layer.</summary>
    public NetworkData Add(string layer, SparseMatrix matrix) => AddCore(layer, matrix, matrix.Rows);

    /// <summary>Binds a dense matrix to an input layer.</summary>
    public NetworkData Add(string layer, DenseMatrix matrix) => AddCore(layer, matrix, matrix.Rows);

    /// <summary>The sparse matrix bound to <paramref name="layer"/>, or null.</summary>
    public SparseMatrix? Sparse(string layer) => _inputs.TryGetValue(layer, out var m) ? m as SparseMatrix : null;

    /// <summary>The dense matrix bound to <paramref name="layer"/>, or null.</summary>
    public DenseMatrix? Dense(string layer) => _inputs.TryGetValue(layer, out var m) ? m as DenseMatrix : null;

    /// <summary>Names of the bound layers.</summary>
    public IEnumerable<string> Layers => _inputs.Keys;

    private NetworkData AddCore(string layer, object matrix, int rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(layer);
        ArgumentNullException.ThrowIfNull(matrix);
        if (Rows >= 0 && rows != Rows)
            throw new ArgumentException($"Input '{layer}' has {rows} rows but the data already bound has {Rows}.", nameof(matrix));
        if (!_inputs.TryAdd(layer, matrix))
            throw new ArgumentException($"Input '{layer}' is already bound.", nameof(layer));
        Rows = rows;
        return this;
    }
}
