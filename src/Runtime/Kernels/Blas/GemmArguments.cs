namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>Argument checks shared by the GEMM entry points: every failure names the call, the operand and the sizes.</summary>
internal static class GemmArguments
{
    public static void Check(string call, bool transposeA, bool transposeB, int m, int n, int k, int aLength, int lda, int bLength, int ldb)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"Gemm.{call}: sizes must not be negative (m = {m}, n = {n}, k = {k}).");
        }
        // op(A) is m×k: stored m×k, or k×m when transposed.
        CheckMatrix(call, "a", "op(A)", transposeA ? k : m, transposeA ? m : k, aLength, lda, transposeA);
        CheckMatrix(call, "b", "op(B)", transposeB ? n : k, transposeB ? k : n, bLength, ldb, transposeB);
    }

    /// <summary>A row-major matrix of <paramref name="rows"/> × <paramref name="columns"/> stored with leading dimension <paramref name="ld"/>.</summary>
    public static void CheckMatrix(string call, string parameter, string name, int rows, int columns, int length, int ld, bool transposed)
    {
        var stored = transposed ? " (stored transposed)" : "";
        if (ld < Math.Max(1, columns))
        {
            throw new ArgumentOutOfRangeException(
                "ld" + parameter,
                $"Gemm.{call}: leading dimension of {name}{stored} is {ld}, expected at least {Math.Max(1, columns)} (its stored row length).");
        }
        if (rows == 0 || columns == 0)
        {
            return;
        }
        var needed = ((long)(rows - 1) * ld) + columns;
        if (length < needed)
        {
            throw new ArgumentException(
                $"Gemm.{call}: {parameter} holds {length} floats but {name}{stored}, {rows} stored rows × {columns} columns with leading dimension {ld}, needs {needed}.",
                parameter);
        }
    }
}
