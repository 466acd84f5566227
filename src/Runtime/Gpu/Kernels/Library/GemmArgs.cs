using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>
/// The tiled product's arguments as one kernel parameter, in row-major terms: <c>C[m×n] (+)= op(A)·op(B)</c>, op(A)
/// m×k (stored k×m when <see cref="TransposeA"/> is 1), op(B) k×n (stored n×k when <see cref="TransposeB"/> is 1).
/// </summary>
/// <remarks>One struct instead of thirteen parameters: ILGPU launchers are generic over every parameter type, and a
/// struct keeps the launch site readable. Flags are ints because they are compared on the device.</remarks>
internal readonly struct GemmArgs
{
    /// <summary>A, starting at its first element.</summary>
    public readonly ArrayView<float> A;

    /// <summary>B, starting at its first element.</summary>
    public readonly ArrayView<float> B;

    /// <summary>C, starting at its first element.</summary>
    public readonly ArrayView<float> C;

    /// <summary>Rows of C.</summary>
    public readonly int M;

    /// <summary>Columns of C.</summary>
    public readonly int N;

    /// <summary>The summed dimension.</summary>
    public readonly int K;

    /// <summary>Leading dimensions (stored row lengths).</summary>
    public readonly int Lda, Ldb, Ldc;

    /// <summary>1 when A is stored transposed (k×m), 1 when B is (n×k), 1 when C is added to (beta 1).</summary>
    public readonly int TransposeA, TransposeB, Accumulate;

    /// <summary>Tile edge T: the group is T×T threads and uses T×T of each shared tile.</summary>
    public readonly int Tile;

    /// <summary>Bundles the arguments.</summary>
    public GemmArgs(
        bool transposeA, bool transposeB, int m, int n, int k,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb,
        bool accumulate, ArrayView<float> c, int ldc, int tile)
    {
        A = a;
        B = b;
        C = c;
        M = m;
        N = n;
        K = k;
        Lda = lda;
        Ldb = ldb;
        Ldc = ldc;
        TransposeA = transposeA ? 1 : 0;
        TransposeB = transposeB ? 1 : 0;
        Accumulate = accumulate ? 1 : 0;
        Tile = tile;
    }
}
