using DestinyDsl.Runtime.Kernels.Blas;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

internal sealed partial class LibraryKernels
{
    private int _maxGemmGridRows;

    /// <summary>
    /// C[m×n] = op(A)·op(B) (+ C when <paramref name="accumulate"/>), row-major, with the same argument rules as the CPU
    /// <c>Gemm.Multiply</c>: op(A) is A stored m×k with leading dimension <paramref name="lda"/>, or k×m when
    /// <paramref name="transposeA"/>; likewise B. C must not overlap A or B.
    /// </summary>
    public void Gemm(
        AcceleratorStream stream, bool transposeA, bool transposeB, int m, int n, int k,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb,
        bool accumulate, ArrayView<float> c, int ldc)
    {
        ArgumentNullException.ThrowIfNull(stream);
        GemmArguments.Check("Tiled", transposeA, transposeB, m, n, k, Length(a), lda, Length(b), ldb);
        GemmArguments.CheckMatrix("Tiled", "c", "C", m, n, Length(c), ldc, transposed: false);
        if (m == 0 || n == 0) return;
        Fits32(transposeA ? k : m, lda, "a");
        Fits32(transposeB ? n : k, ldb, "b");
        Fits32(m, ldc, "c");

        // Rows of C go along the grid's Y dimension, which CUDA caps at 65,535 groups: split taller products into
        // row bands (A and C start further on; a transposed A starts further along its stored rows).
        var t = TileEdge;
        var bandRows = (int)Math.Min(m, (long)MaxGemmGridRows * t);
        for (var row0 = 0; row0 < m; row0 += bandRows)
        {
            var rows = Math.Min(bandRows, m - row0);
            var aBand = row0 == 0 ? a : a.SubView(transposeA ? row0 : (long)row0 * lda);
            var cBand = row0 == 0 ? c : c.SubView((long)row0 * ldc);
            var grid = new Index2D((n + t - 1) / t, (rows + t - 1) / t);
            var args = new GemmArgs(transposeA, transposeB, rows, n, k, aBand, lda, b, ldb, accumulate, cBand, ldc, t);
            _gemm(stream, new KernelConfig(grid, new Index2D(t, t)), args);
        }
    }

    /// <summary>
    /// The most groups one launch puts along the grid's Y dimension (the accelerator's limit; tests lower it to
    /// exercise the row bands).
    /// </summary>
    internal int MaxGemmGridRows
    {
        get => _maxGemmGridRows > 0 ? _maxGemmGridRows : _accelerator.MaxGridSize.Y;
        set => _maxGemmGridRows = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    private static int Length(ArrayView<float> view) => (int)Math.Min(view.Length, int.MaxValue);

    /// <summary>The stored extent (rows − 1)·ld + ld must be addressable with 32-bit indices.</summary>
    private static void Fits32(int storedRows, int ld, string name)
    {
        if ((long)storedRows * ld > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, $"{name}: {storedRows} stored rows × leading dimension {ld} exceed the kernels' 32-bit indices.");
        }
    }
}
