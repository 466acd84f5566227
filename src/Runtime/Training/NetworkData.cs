using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Training;

/// <summary>
/// The data bound to a network's input layers, by layer name: a sparse or dense matrix per input layer,
/// all with the same number of rows (examples). Output targets name an input layer, so they come from here too.
/// Optionally a weight per example (<see cref="WithExampleWeights"/>), the w_b of docs/semantics.md.
/// </summary>
public sealed class NetworkData
{
    private readonly Dictionary<string, object> _inputs = new(StringComparer.Ordinal);
    private float[]? _weights;

    /// <summary>Number of examples (rows) shared by every bound matrix; -1 while empty.</summary>
    public int Rows { get; private set; } = -1;

    /// <summary>
    /// The per-example weights w_b (one per row) that multiply each example's data loss and its output deltas in
    /// training and evaluation; null (the default) = every weight is 1.
    /// </summary>
    public IReadOnlyList<float>? ExampleWeights => _weights;

    /// <summary>The weights as the engine reads them (never exposed for writing).</summary>
    internal float[]? WeightArray => _weights;

    /// <summary>Binds a sparse matrix to an input layer.</summary>
    public NetworkData Add(string layer, SparseMatrix matrix) => AddCore(layer, matrix, matrix.Rows);

    /// <summary>Binds a dense matrix to an input layer.</summary>
    public NetworkData Add(string layer, DenseMatrix matrix) => AddCore(layer, matrix, matrix.Rows);

    /// <summary>
    /// Gives every example a weight: row b's data loss ℓ and its output deltas are multiplied by
    /// <paramref name="weights"/>[b] (the loss stays averaged over the B examples of a batch, not over Σ w_b).
    /// Weights must be finite and ≥ 0, one per row of the data already bound; 0 takes a row out of the gradient
    /// and the loss. The array is copied.
    /// </summary>
    public NetworkData WithExampleWeights(float[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (Rows < 0) throw new InvalidOperationException("Bind the input matrices before the example weights: the weights need one value per row.");
        if (_weights is not null) throw new InvalidOperationException("The example weights are already set.");
        if (weights.Length != Rows)
            throw new ArgumentException($"There are {weights.Length} example weights but the data has {Rows} rows; give one weight per row.", nameof(weights));
        for (var b = 0; b < weights.Length; b++)
        {
            var w = weights[b];
            if (!float.IsFinite(w)) throw new ArgumentException($"The weight of row {b} is {w}; example weights must be finite.", nameof(weights));
            if (w < 0f) throw new ArgumentException($"The weight of row {b} is {w}; example weights must be ≥ 0.", nameof(weights));
        }
        _weights = (float[])weights.Clone();
        return this;
    }

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
