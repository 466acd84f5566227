namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// Per-(row, column chunk) float sums of an output's element loss, and the sparse targets' per-non-zero corrections,
/// filled by the forward product's epilogue while each segment is in cache, and combined later in a fixed order
/// (<see cref="FusedOutput{TOps}.RowLoss"/>).
/// </summary>
/// <remarks>
/// Chunks are fixed: columns [c·<see cref="ChunkColumns"/>, (c + 1)·<see cref="ChunkColumns"/>) of the row, whatever
/// the product's blocking. An epilogue segment fills only the chunks it holds whole and marks them done; a chunk cut
/// by a segment boundary (a blocking other than the default) stays undone and is summed from the activations when
/// the loss is read, with exactly the same operations. So the loss is bit for bit the same as a separate pass, for
/// any thread count and any blocking.
/// </remarks>
internal sealed class LossPartials
{
    /// <summary>
    /// Columns per chunk: the GEMM's default column block (<c>GemmTuning.ColumnBlock</c>), so that every segment
    /// of the forward product holds whole chunks.
    /// </summary>
    public const int ChunkColumns = 256;

    private float[] _sums = Array.Empty<float>();
    private bool[] _done = Array.Empty<bool>();
    private double[] _corrections = Array.Empty<double>();
    private bool[] _corrected = Array.Empty<bool>();

    /// <summary>Rows and row width the partials were last prepared for.</summary>
    public int Rows { get; private set; }

    public int N { get; private set; }

    /// <summary>Chunks per row.</summary>
    public int Chunks { get; private set; }

    /// <summary>Chunks per row of width <paramref name="n"/>.</summary>
    public static int ChunksOf(int n) => (n + ChunkColumns - 1) / ChunkColumns;

    /// <summary>
    /// Makes room for rows × n and <paramref name="nonZeros"/> sparse targets' corrections (indexed like the targets'
    /// columns), and marks every chunk and correction undone.
    /// </summary>
    public void Prepare(int rows, int n, int nonZeros)
    {
        if (_corrections.Length < nonZeros)
        {
            _corrections = new double[nonZeros];
            _corrected = new bool[nonZeros];
        }
        else
        {
            Array.Clear(_corrected, 0, nonZeros);
        }
        Rows = rows;
        N = n;
        Chunks = ChunksOf(n);
        var count = rows * Chunks;
        if (_sums.Length < count)
        {
            _sums = new float[count];
            _done = new bool[count];
        }
        else
        {
            Array.Clear(_done, 0, count);
        }
    }

    /// <summary>Records the sum of chunk <paramref name="chunk"/> of <paramref name="row"/>.</summary>
    public void Set(int row, int chunk, float sum)
    {
        var at = (row * Chunks) + chunk;
        _sums[at] = sum;
        _done[at] = true;
    }

    /// <summary>Records ℓ(a, t) − ℓ(a, 0) of sparse non-zero <paramref name="k"/>.</summary>
    public void SetCorrection(int k, double value)
    {
        _corrections[k] = value;
        _corrected[k] = true;
    }

    /// <summary>The recorded correction of sparse non-zero <paramref name="k"/>, or false when none was recorded.</summary>
    public bool TryGetCorrection(int k, out double value)
    {
        value = _corrections[k];
        return _corrected[k];
    }

    /// <summary>The recorded sum of a chunk, or false when no segment held it whole.</summary>
    public bool TryGet(int row, int chunk, out float sum)
    {
        var at = (row * Chunks) + chunk;
        sum = _sums[at];
        return _done[at];
    }
}
