namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>The two factors of a product as pinned pointers, with how each is stored.</summary>
internal readonly unsafe struct GemmOperands(float* a, nint lda, bool transposeA, float* b, nint ldb, bool transposeB)
{
    public readonly float* A = a;
    public readonly nint Lda = lda;
    public readonly bool TransposeA = transposeA;
    public readonly float* B = b;
    public readonly nint Ldb = ldb;
    public readonly bool TransposeB = transposeB;

    /// <summary>Packs op(A)[rows, pc .. pc + kc) into MR-row strips of <paramref name="stripStride"/> floats each.</summary>
    public void PackA(int row0, int rowEnd, int mr, int pc, int kc, float* dst, nint stripStride)
    {
        for (var i = row0; i < rowEnd; i += mr, dst += stripStride)
        {
            var rows = Math.Min(mr, rowEnd - i);
            if (TransposeA)
            {
                GemmPacking.CopyPanel(A + (pc * Lda) + i, Lda, rows, mr, kc, dst);
            }
            else
            {
                GemmPacking.TransposePanel(A + (i * Lda) + pc, Lda, rows, mr, kc, dst);
            }
        }
    }

    /// <summary>Packs op(B)[pc .. pc + kc, columns] into NR-column slivers of <paramref name="sliverStride"/> floats each.</summary>
    public void PackB(int column0, int columnEnd, int nr, int pc, int kc, float* dst, nint sliverStride)
    {
        for (var j = column0; j < columnEnd; j += nr, dst += sliverStride)
        {
            var columns = Math.Min(nr, columnEnd - j);
            if (TransposeB)
            {
                GemmPacking.TransposePanel(B + (j * Ldb) + pc, Ldb, columns, nr, kc, dst);
            }
            else
            {
                GemmPacking.CopyPanel(B + (pc * Ldb) + j, Ldb, columns, nr, kc, dst);
            }
        }
    }
}
