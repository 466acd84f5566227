using System.Runtime.CompilerServices;
using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>
/// The register-blocked inner kernels: a tile of C held in 2·MR registers while k runs, fed by packed panels (A: MR
/// values per k step, B: two registers per k step). <see cref="Tile12{TV}"/> needs 24 accumulators + 3 temporaries
/// (AVX-512 has 32 registers); <see cref="Tile6{TV}"/> fits the 16 registers of AVX2/SSE/NEON.
/// <see cref="Tile12Rows8{TV}"/> and <see cref="Tile12Rows4{TV}"/> compute only the first rows of a 12-row strip,
/// for the ragged last strip of C (M = 256 or 1024 leaves 4 rows).
/// </summary>
/// <remarks>
/// Every element is one fused-multiply-add chain over k in ascending order, starting from C (when continuing a
/// k block or accumulating) or 0: the result does not depend on the blocking, the tile position, the width or the
/// thread that computes it. Hand-unrolled; keep the rows uniform.
/// </remarks>
internal static unsafe class GemmMicroKernels
{
    /// <summary>
    /// C[12 × 2·TV.Count] (ld <paramref name="ldc"/>) = (<paramref name="load"/> ? C : 0) + Σ over p of
    /// a[p·12 + i] · b[p·2·TV.Count + j], as one FMA chain per element in ascending p. <paramref name="a"/> and
    /// <paramref name="b"/> are packed panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile12<TV>(int kc, float* a, float* b, float* c, nint ldc, bool load)
        where TV : struct, ISimd<TV>
    {
        var w = TV.Count;
        TV c0a, c0b;
        TV c1a, c1b;
        TV c2a, c2b;
        TV c3a, c3b;
        TV c4a, c4b;
        TV c5a, c5b;
        TV c6a, c6b;
        TV c7a, c7b;
        TV c8a, c8b;
        TV c9a, c9b;
        TV c10a, c10b;
        TV c11a, c11b;
        if (load)
        {
            c0a = TV.Load(in *(c)); c0b = TV.Load(in *(c + w));
            c1a = TV.Load(in *(c + 1 * ldc)); c1b = TV.Load(in *(c + 1 * ldc + w));
            c2a = TV.Load(in *(c + 2 * ldc)); c2b = TV.Load(in *(c + 2 * ldc + w));
            c3a = TV.Load(in *(c + 3 * ldc)); c3b = TV.Load(in *(c + 3 * ldc + w));
            c4a = TV.Load(in *(c + 4 * ldc)); c4b = TV.Load(in *(c + 4 * ldc + w));
            c5a = TV.Load(in *(c + 5 * ldc)); c5b = TV.Load(in *(c + 5 * ldc + w));
            c6a = TV.Load(in *(c + 6 * ldc)); c6b = TV.Load(in *(c + 6 * ldc + w));
            c7a = TV.Load(in *(c + 7 * ldc)); c7b = TV.Load(in *(c + 7 * ldc + w));
            c8a = TV.Load(in *(c + 8 * ldc)); c8b = TV.Load(in *(c + 8 * ldc + w));
            c9a = TV.Load(in *(c + 9 * ldc)); c9b = TV.Load(in *(c + 9 * ldc + w));
            c10a = TV.Load(in *(c + 10 * ldc)); c10b = TV.Load(in *(c + 10 * ldc + w));
            c11a = TV.Load(in *(c + 11 * ldc)); c11b = TV.Load(in *(c + 11 * ldc + w));
        }
        else
        {
            c0a = TV.Zero; c0b = TV.Zero;
            c1a = TV.Zero; c1b = TV.Zero;
            c2a = TV.Zero; c2b = TV.Zero;
            c3a = TV.Zero; c3b = TV.Zero;
            c4a = TV.Zero; c4b = TV.Zero;
            c5a = TV.Zero; c5b = TV.Zero;
            c6a = TV.Zero; c6b = TV.Zero;
            c7a = TV.Zero; c7b = TV.Zero;
            c8a = TV.Zero; c8b = TV.Zero;
            c9a = TV.Zero; c9b = TV.Zero;
            c10a = TV.Zero; c10b = TV.Zero;
            c11a = TV.Zero; c11b = TV.Zero;
        }

        for (var p = 0; p < kc; p++)
        {
            var b0 = TV.Load(in *b);
            var b1 = TV.Load(in *(b + w));
            var a0 = TV.Create(a[0]); c0a = TV.MultiplyAdd(a0, b0, c0a); c0b = TV.MultiplyAdd(a0, b1, c0b);
            var a1 = TV.Create(a[1]); c1a = TV.MultiplyAdd(a1, b0, c1a); c1b = TV.MultiplyAdd(a1, b1, c1b);
            var a2 = TV.Create(a[2]); c2a = TV.MultiplyAdd(a2, b0, c2a); c2b = TV.MultiplyAdd(a2, b1, c2b);
            var a3 = TV.Create(a[3]); c3a = TV.MultiplyAdd(a3, b0, c3a); c3b = TV.MultiplyAdd(a3, b1, c3b);
            var a4 = TV.Create(a[4]); c4a = TV.MultiplyAdd(a4, b0, c4a); c4b = TV.MultiplyAdd(a4, b1, c4b);
            var a5 = TV.Create(a[5]); c5a = TV.MultiplyAdd(a5, b0, c5a); c5b = TV.MultiplyAdd(a5, b1, c5b);
            var a6 = TV.Create(a[6]); c6a = TV.MultiplyAdd(a6, b0, c6a); c6b = TV.MultiplyAdd(a6, b1, c6b);
            var a7 = TV.Create(a[7]); c7a = TV.MultiplyAdd(a7, b0, c7a); c7b = TV.MultiplyAdd(a7, b1, c7b);
            var a8 = TV.Create(a[8]); c8a = TV.MultiplyAdd(a8, b0, c8a); c8b = TV.MultiplyAdd(a8, b1, c8b);
            var a9 = TV.Create(a[9]); c9a = TV.MultiplyAdd(a9, b0, c9a); c9b = TV.MultiplyAdd(a9, b1, c9b);
            var a10 = TV.Create(a[10]); c10a = TV.MultiplyAdd(a10, b0, c10a); c10b = TV.MultiplyAdd(a10, b1, c10b);
            var a11 = TV.Create(a[11]); c11a = TV.MultiplyAdd(a11, b0, c11a); c11b = TV.MultiplyAdd(a11, b1, c11b);
            a += 12;
            b += 2 * w;
        }

        TV.Store(c0a, ref *(c)); TV.Store(c0b, ref *(c + w));
        TV.Store(c1a, ref *(c + 1 * ldc)); TV.Store(c1b, ref *(c + 1 * ldc + w));
        TV.Store(c2a, ref *(c + 2 * ldc)); TV.Store(c2b, ref *(c + 2 * ldc + w));
        TV.Store(c3a, ref *(c + 3 * ldc)); TV.Store(c3b, ref *(c + 3 * ldc + w));
        TV.Store(c4a, ref *(c + 4 * ldc)); TV.Store(c4b, ref *(c + 4 * ldc + w));
        TV.Store(c5a, ref *(c + 5 * ldc)); TV.Store(c5b, ref *(c + 5 * ldc + w));
        TV.Store(c6a, ref *(c + 6 * ldc)); TV.Store(c6b, ref *(c + 6 * ldc + w));
        TV.Store(c7a, ref *(c + 7 * ldc)); TV.Store(c7b, ref *(c + 7 * ldc + w));
        TV.Store(c8a, ref *(c + 8 * ldc)); TV.Store(c8b, ref *(c + 8 * ldc + w));
        TV.Store(c9a, ref *(c + 9 * ldc)); TV.Store(c9b, ref *(c + 9 * ldc + w));
        TV.Store(c10a, ref *(c + 10 * ldc)); TV.Store(c10b, ref *(c + 10 * ldc + w));
        TV.Store(c11a, ref *(c + 11 * ldc)); TV.Store(c11b, ref *(c + 11 * ldc + w));
    }

    /// <summary>
    /// The first 8 rows of a 12-row strip (a ragged last strip): C[8 × 2·TV.Count] (ld <paramref name="ldc"/>) = (<paramref name="load"/> ? C : 0) + Σ over p of
    /// a[p·12 + i] · b[p·2·TV.Count + j], as one FMA chain per element in ascending p. <paramref name="a"/> and
    /// <paramref name="b"/> are packed panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile12Rows8<TV>(int kc, float* a, float* b, float* c, nint ldc, bool load)
        where TV : struct, ISimd<TV>
    {
        var w = TV.Count;
        TV c0a, c0b;
        TV c1a, c1b;
        TV c2a, c2b;
        TV c3a, c3b;
        TV c4a, c4b;
        TV c5a, c5b;
        TV c6a, c6b;
        TV c7a, c7b;
        if (load)
        {
            c0a = TV.Load(in *(c)); c0b = TV.Load(in *(c + w));
            c1a = TV.Load(in *(c + 1 * ldc)); c1b = TV.Load(in *(c + 1 * ldc + w));
            c2a = TV.Load(in *(c + 2 * ldc)); c2b = TV.Load(in *(c + 2 * ldc + w));
            c3a = TV.Load(in *(c + 3 * ldc)); c3b = TV.Load(in *(c + 3 * ldc + w));
            c4a = TV.Load(in *(c + 4 * ldc)); c4b = TV.Load(in *(c + 4 * ldc + w));
            c5a = TV.Load(in *(c + 5 * ldc)); c5b = TV.Load(in *(c + 5 * ldc + w));
            c6a = TV.Load(in *(c + 6 * ldc)); c6b = TV.Load(in *(c + 6 * ldc + w));
            c7a = TV.Load(in *(c + 7 * ldc)); c7b = TV.Load(in *(c + 7 * ldc + w));
        }
        else
        {
            c0a = TV.Zero; c0b = TV.Zero;
            c1a = TV.Zero; c1b = TV.Zero;
            c2a = TV.Zero; c2b = TV.Zero;
            c3a = TV.Zero; c3b = TV.Zero;
            c4a = TV.Zero; c4b = TV.Zero;
            c5a = TV.Zero; c5b = TV.Zero;
            c6a = TV.Zero; c6b = TV.Zero;
            c7a = TV.Zero; c7b = TV.Zero;
        }

        for (var p = 0; p < kc; p++)
        {
            var b0 = TV.Load(in *b);
            var b1 = TV.Load(in *(b + w));
            var a0 = TV.Create(a[0]); c0a = TV.MultiplyAdd(a0, b0, c0a); c0b = TV.MultiplyAdd(a0, b1, c0b);
            var a1 = TV.Create(a[1]); c1a = TV.MultiplyAdd(a1, b0, c1a); c1b = TV.MultiplyAdd(a1, b1, c1b);
            var a2 = TV.Create(a[2]); c2a = TV.MultiplyAdd(a2, b0, c2a); c2b = TV.MultiplyAdd(a2, b1, c2b);
            var a3 = TV.Create(a[3]); c3a = TV.MultiplyAdd(a3, b0, c3a); c3b = TV.MultiplyAdd(a3, b1, c3b);
            var a4 = TV.Create(a[4]); c4a = TV.MultiplyAdd(a4, b0, c4a); c4b = TV.MultiplyAdd(a4, b1, c4b);
            var a5 = TV.Create(a[5]); c5a = TV.MultiplyAdd(a5, b0, c5a); c5b = TV.MultiplyAdd(a5, b1, c5b);
            var a6 = TV.Create(a[6]); c6a = TV.MultiplyAdd(a6, b0, c6a); c6b = TV.MultiplyAdd(a6, b1, c6b);
            var a7 = TV.Create(a[7]); c7a = TV.MultiplyAdd(a7, b0, c7a); c7b = TV.MultiplyAdd(a7, b1, c7b);
            a += 12;
            b += 2 * w;
        }

        TV.Store(c0a, ref *(c)); TV.Store(c0b, ref *(c + w));
        TV.Store(c1a, ref *(c + 1 * ldc)); TV.Store(c1b, ref *(c + 1 * ldc + w));
        TV.Store(c2a, ref *(c + 2 * ldc)); TV.Store(c2b, ref *(c + 2 * ldc + w));
        TV.Store(c3a, ref *(c + 3 * ldc)); TV.Store(c3b, ref *(c + 3 * ldc + w));
        TV.Store(c4a, ref *(c + 4 * ldc)); TV.Store(c4b, ref *(c + 4 * ldc + w));
        TV.Store(c5a, ref *(c + 5 * ldc)); TV.Store(c5b, ref *(c + 5 * ldc + w));
        TV.Store(c6a, ref *(c + 6 * ldc)); TV.Store(c6b, ref *(c + 6 * ldc + w));
        TV.Store(c7a, ref *(c + 7 * ldc)); TV.Store(c7b, ref *(c + 7 * ldc + w));
    }

    /// <summary>
    /// The first 4 rows of a 12-row strip (a ragged last strip): C[4 × 2·TV.Count] (ld <paramref name="ldc"/>) = (<paramref name="load"/> ? C : 0) + Σ over p of
    /// a[p·12 + i] · b[p·2·TV.Count + j], as one FMA chain per element in ascending p. <paramref name="a"/> and
    /// <paramref name="b"/> are packed panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile12Rows4<TV>(int kc, float* a, float* b, float* c, nint ldc, bool load)
        where TV : struct, ISimd<TV>
    {
        var w = TV.Count;
        TV c0a, c0b;
        TV c1a, c1b;
        TV c2a, c2b;
        TV c3a, c3b;
        if (load)
        {
            c0a = TV.Load(in *(c)); c0b = TV.Load(in *(c + w));
            c1a = TV.Load(in *(c + 1 * ldc)); c1b = TV.Load(in *(c + 1 * ldc + w));
            c2a = TV.Load(in *(c + 2 * ldc)); c2b = TV.Load(in *(c + 2 * ldc + w));
            c3a = TV.Load(in *(c + 3 * ldc)); c3b = TV.Load(in *(c + 3 * ldc + w));
        }
        else
        {
            c0a = TV.Zero; c0b = TV.Zero;
            c1a = TV.Zero; c1b = TV.Zero;
            c2a = TV.Zero; c2b = TV.Zero;
            c3a = TV.Zero; c3b = TV.Zero;
        }

        for (var p = 0; p < kc; p++)
        {
            var b0 = TV.Load(in *b);
            var b1 = TV.Load(in *(b + w));
            var a0 = TV.Create(a[0]); c0a = TV.MultiplyAdd(a0, b0, c0a); c0b = TV.MultiplyAdd(a0, b1, c0b);
            var a1 = TV.Create(a[1]); c1a = TV.MultiplyAdd(a1, b0, c1a); c1b = TV.MultiplyAdd(a1, b1, c1b);
            var a2 = TV.Create(a[2]); c2a = TV.MultiplyAdd(a2, b0, c2a); c2b = TV.MultiplyAdd(a2, b1, c2b);
            var a3 = TV.Create(a[3]); c3a = TV.MultiplyAdd(a3, b0, c3a); c3b = TV.MultiplyAdd(a3, b1, c3b);
            a += 12;
            b += 2 * w;
        }

        TV.Store(c0a, ref *(c)); TV.Store(c0b, ref *(c + w));
        TV.Store(c1a, ref *(c + 1 * ldc)); TV.Store(c1b, ref *(c + 1 * ldc + w));
        TV.Store(c2a, ref *(c + 2 * ldc)); TV.Store(c2b, ref *(c + 2 * ldc + w));
        TV.Store(c3a, ref *(c + 3 * ldc)); TV.Store(c3b, ref *(c + 3 * ldc + w));
    }

    /// <summary>
    /// C[6 × 2·TV.Count] (ld <paramref name="ldc"/>) = (<paramref name="load"/> ? C : 0) + Σ over p of
    /// a[p·6 + i] · b[p·2·TV.Count + j], as one FMA chain per element in ascending p. <paramref name="a"/> and
    /// <paramref name="b"/> are packed panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile6<TV>(int kc, float* a, float* b, float* c, nint ldc, bool load)
        where TV : struct, ISimd<TV>
    {
        var w = TV.Count;
        TV c0a, c0b;
        TV c1a, c1b;
        TV c2a, c2b;
        TV c3a, c3b;
        TV c4a, c4b;
        TV c5a, c5b;
        if (load)
        {
            c0a = TV.Load(in *(c)); c0b = TV.Load(in *(c + w));
            c1a = TV.Load(in *(c + 1 * ldc)); c1b = TV.Load(in *(c + 1 * ldc + w));
            c2a = TV.Load(in *(c + 2 * ldc)); c2b = TV.Load(in *(c + 2 * ldc + w));
            c3a = TV.Load(in *(c + 3 * ldc)); c3b = TV.Load(in *(c + 3 * ldc + w));
            c4a = TV.Load(in *(c + 4 * ldc)); c4b = TV.Load(in *(c + 4 * ldc + w));
            c5a = TV.Load(in *(c + 5 * ldc)); c5b = TV.Load(in *(c + 5 * ldc + w));
        }
        else
        {
            c0a = TV.Zero; c0b = TV.Zero;
            c1a = TV.Zero; c1b = TV.Zero;
            c2a = TV.Zero; c2b = TV.Zero;
            c3a = TV.Zero; c3b = TV.Zero;
            c4a = TV.Zero; c4b = TV.Zero;
            c5a = TV.Zero; c5b = TV.Zero;
        }

        for (var p = 0; p < kc; p++)
        {
            var b0 = TV.Load(in *b);
            var b1 = TV.Load(in *(b + w));
            var a0 = TV.Create(a[0]); c0a = TV.MultiplyAdd(a0, b0, c0a); c0b = TV.MultiplyAdd(a0, b1, c0b);
            var a1 = TV.Create(a[1]); c1a = TV.MultiplyAdd(a1, b0, c1a); c1b = TV.MultiplyAdd(a1, b1, c1b);
            var a2 = TV.Create(a[2]); c2a = TV.MultiplyAdd(a2, b0, c2a); c2b = TV.MultiplyAdd(a2, b1, c2b);
            var a3 = TV.Create(a[3]); c3a = TV.MultiplyAdd(a3, b0, c3a); c3b = TV.MultiplyAdd(a3, b1, c3b);
            var a4 = TV.Create(a[4]); c4a = TV.MultiplyAdd(a4, b0, c4a); c4b = TV.MultiplyAdd(a4, b1, c4b);
            var a5 = TV.Create(a[5]); c5a = TV.MultiplyAdd(a5, b0, c5a); c5b = TV.MultiplyAdd(a5, b1, c5b);
            a += 6;
            b += 2 * w;
        }

        TV.Store(c0a, ref *(c)); TV.Store(c0b, ref *(c + w));
        TV.Store(c1a, ref *(c + 1 * ldc)); TV.Store(c1b, ref *(c + 1 * ldc + w));
        TV.Store(c2a, ref *(c + 2 * ldc)); TV.Store(c2b, ref *(c + 2 * ldc + w));
        TV.Store(c3a, ref *(c + 3 * ldc)); TV.Store(c3b, ref *(c + 3 * ldc + w));
        TV.Store(c4a, ref *(c + 4 * ldc)); TV.Store(c4b, ref *(c + 4 * ldc + w));
        TV.Store(c5a, ref *(c + 5 * ldc)); TV.Store(c5b, ref *(c + 5 * ldc + w));
    }
}
