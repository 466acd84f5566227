using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>
/// The shared-memory tiled product <c>C (+)= op(A)·op(B)</c> (row-major), for accelerators without cuBLAS.
/// Explicitly grouped: group = T×T threads (X along the columns of C, Y along its rows), grid = ⌈n/T⌉ × ⌈m/T⌉ groups.
/// </summary>
/// <remarks>
/// Each thread owns one element of C and sums k in ascending order from C (when accumulating) or 0, like the CPU
/// <c>Gemm</c>. Shared sizes must be compile-time constants in ILGPU, so both tiles are allocated at the largest edge
/// <see cref="MaxTile"/> and T ≤ <see cref="MaxTile"/> of them is used; each tile row is padded by one float so
/// that the transposed loads below do not all fall into one shared-memory bank.
/// </remarks>
internal static class GemmKernel
{
    /// <summary>The largest tile edge the shared tiles hold.</summary>
    public const int MaxTile = 32;

    private const int TileFloats = MaxTile * (MaxTile + 1);

    /// <summary>The kernel body.</summary>
    public static void Multiply(GemmArgs g)
    {
        var tileA = SharedMemory.Allocate<float>(TileFloats);
        var tileB = SharedMemory.Allocate<float>(TileFloats);
        var t = g.Tile;
        var stride = t + 1;
        var tx = Group.IdxX;
        var ty = Group.IdxY;
        var row0 = Grid.IdxY * t;
        var col0 = Grid.IdxX * t;
        var row = row0 + ty;
        var col = col0 + tx;
        var inC = row < g.M && col < g.N;

        var sum = 0f;
        if (inC && g.Accumulate != 0) sum = g.C[(row * g.Ldc) + col];

        // Loads are arranged so that consecutive tx read consecutive addresses whatever the transposition: a
        // transposed operand is read "down" its stored rows and written transposed into the tile.
        var ra = g.TransposeA != 0 ? tx : ty;
        var ca = g.TransposeA != 0 ? ty : tx;
        var rb = g.TransposeB != 0 ? tx : ty;
        var cb = g.TransposeB != 0 ? ty : tx;
        for (var k0 = 0; k0 < g.K; k0 += t)
        {
            // tileA[r][c] = op(A)[row0 + r][k0 + c]; zero outside, so the padded part of the last k tile adds 0·0.
            var ai = row0 + ra;
            var ap = k0 + ca;
            var av = 0f;
            if (ai < g.M && ap < g.K) av = g.TransposeA != 0 ? g.A[(ap * g.Lda) + ai] : g.A[(ai * g.Lda) + ap];
            tileA[(ra * stride) + ca] = av;

            // tileB[r][c] = op(B)[k0 + r][col0 + c].
            var bp = k0 + rb;
            var bj = col0 + cb;
            var bv = 0f;
            if (bp < g.K && bj < g.N) bv = g.TransposeB != 0 ? g.B[(bj * g.Ldb) + bp] : g.B[(bp * g.Ldb) + bj];
            tileB[(rb * stride) + cb] = bv;

            Group.Barrier();
            for (var p = 0; p < t; p++) sum += tileA[(ty * stride) + p] * tileB[(p * stride) + tx];
            Group.Barrier();
        }

        if (inC) g.C[(row * g.Ldc) + col] = sum;
    }
}
