namespace DestinyDsl.Runtime.Gpu.Blas;

/// <summary>Which row-major operand a column-major GEMM argument is.</summary>
internal enum GemmOperand
{
    /// <summary>The row-major request's A.</summary>
    A,

    /// <summary>The row-major request's B.</summary>
    B,
}

/// <summary>
/// The column-major GEMM (cuBLAS <c>sgemm</c>: <c>C = op(first)·op(second) + beta·C</c>, alpha 1) that computes a
/// row-major request <c>C[m×n] (+)= op(A)·op(B)</c>.
/// </summary>
/// <remarks>
/// A row-major matrix read as column-major is its transpose, so the request is <c>Cᵀ = op(B)ᵀ·op(A)ᵀ</c> on the
/// same memory: swap the operands (first = B, second = A), swap m and n, keep each operand's own transpose flag and
/// leading dimension. Every valid row-major request (leading dimension ≥ the stored row length) maps to a call that
/// meets cuBLAS's rules (ld ≥ the stored column length), k = 0 included. Pure, so it is unit-tested without a GPU.
/// </remarks>
internal readonly record struct ColumnMajorCall(
    bool TransposeFirst, bool TransposeSecond, int M, int N, int K,
    GemmOperand First, int LdFirst, GemmOperand Second, int LdSecond,
    float Beta, int Ldc)
{
    /// <summary>The column-major call for the row-major request.</summary>
    public static ColumnMajorCall From(bool transposeA, bool transposeB, int m, int n, int k, int lda, int ldb, bool accumulate, int ldc)
        => new(transposeB, transposeA, n, m, k, GemmOperand.B, ldb, GemmOperand.A, lda, accumulate ? 1f : 0f, ldc);
}
