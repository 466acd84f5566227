using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Data;

/// <summary>Comparisons and random matrices shared by the data tests.</summary>
internal static class MatrixAssert
{
    /// <summary>Rebuilds the matrix through the validating public constructor, so a broken CSR invariant fails the test.</summary>
    public static void IsValidCsr(SparseMatrix m)
        => _ = new SparseMatrix(m.Rows, m.Columns, m.RowOffsets, m.ColumnIndices, m.Values);

    public static void Equal(float[,] expected, SparseMatrix actual)
    {
        IsValidCsr(actual);
        Assert.Equal(expected.GetLength(0), actual.Rows);
        Assert.Equal(expected.GetLength(1), actual.Columns);
        var dense = actual.ToDense();
        for (var r = 0; r < actual.Rows; r++)
        {
            for (var c = 0; c < actual.Columns; c++) Assert.True(expected[r, c] == dense.Row(r)[c], $"cell ({r}, {c}): expected {expected[r, c]}, got {dense.Row(r)[c]}");
        }
    }

    /// <summary>A random matrix with the given density; values are small integers (exact in float) when requested.</summary>
    public static (SparseMatrix Matrix, float[,] Dense) Random(int rows, int columns, double density, bool withValues, int seed)
    {
        var random = new System.Random(seed);
        var dense = new float[rows, columns];
        var builder = new SparseMatrixBuilder(columns, withValues);
        for (var r = 0; r < rows; r++)
        {
            var cols = new List<int>();
            var vals = new List<float>();
            for (var c = 0; c < columns; c++)
            {
                if (random.NextDouble() >= density) continue;
                cols.Add(c);
                var v = withValues ? random.Next(1, 9) : 1f;
                vals.Add(v);
                dense[r, c] = v;
            }
            if (withValues) builder.AddRow(cols.ToArray(), vals.ToArray());
            else builder.AddRow(cols.ToArray());
        }
        return (builder.Build(), dense);
    }
}
