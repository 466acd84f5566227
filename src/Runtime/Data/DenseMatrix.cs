namespace DestinyDsl.Runtime.Data;

/// <summary>A dense row-major matrix of floats (one row per example).</summary>
public sealed class DenseMatrix
{
    /// <summary>Wraps <paramref name="data"/> (length rows × columns) without copying.</summary>
    public DenseMatrix(int rows, int columns, float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows < 0 || columns <= 0) throw new ArgumentException($"Invalid shape {rows}×{columns}.");
        if (data.Length != (long)rows * columns) throw new ArgumentException($"data has {data.Length} elements; expected {rows}×{columns} = {(long)rows * columns}.", nameof(data));
        Rows = rows;
        Columns = columns;
        Data = data;
    }

    /// <summary>Allocates a zero matrix.</summary>
    public DenseMatrix(int rows, int columns) : this(rows, columns, new float[(long)rows * columns])
    {
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Row-major storage.</summary>
    public float[] Data { get; }

    /// <summary>One row.</summary>
    public Span<float> Row(int row) => Data.AsSpan(row * Columns, Columns);
}
