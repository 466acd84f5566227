using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>
/// Copies a panel of an operand into the layout the micro-kernels read: k-major, <c>R</c> values per k step
/// (<c>R</c> = MR for A, NR for B), the missing ones (ragged edge) zero so the kernels always run full tiles.
/// </summary>
/// <remarks>
/// An operand stored k-major (B, or A transposed) is packed by contiguous copies; one stored with k running along
/// its rows (A, or B transposed) needs a transpose, done in 8×8 (AVX) and 4×4 (SSE) register blocks.
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary><c>dst[p·R + q] = src[p·ld + q]</c> for q &lt; r, 0 for r ≤ q &lt; R, p &lt; kc.</summary>
    public static void CopyPanel(float* src, nint ld, int r, int width, int kc, float* dst)
    {
        for (var p = 0; p < kc; p++)
        {
            var s = src + (p * ld);
            var d = dst + ((nint)p * width);
            CopyRow(s, d, r);
            for (var q = r; q < width; q++)
            {
                d[q] = 0f;
            }
        }
    }

    /// <summary><c>dst[p·R + q] = src[q·ld + p]</c> for q &lt; r, 0 for r ≤ q &lt; R, p &lt; kc.</summary>
    public static void TransposePanel(float* src, nint ld, int r, int width, int kc, float* dst)
    {
        var q = 0;
        if (Avx.IsSupported)
        {
            for (; q + 8 <= r; q += 8)
            {
                TransposeRows8(src + (q * ld), ld, kc, dst + q, width);
            }
        }
        if (Sse.IsSupported)
        {
            for (; q + 4 <= r; q += 4)
            {
                TransposeRows4(src + (q * ld), ld, kc, dst + q, width);
            }
        }
        for (; q < r; q++)
        {
            var s = src + (q * ld);
            for (var p = 0; p < kc; p++)
            {
                dst[((nint)p * width) + q] = s[p];
            }
        }
        if (r < width)
        {
            for (var p = 0; p < kc; p++)
            {
                new Span<float>(dst + ((nint)p * width) + r, width - r).Clear();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(float* s, float* d, int count)
    {
        var j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 16 <= count; j += 16)
            {
                Vector512.Store(Vector512.Load(s + j), d + j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 8 <= count; j += 8)
            {
                Vector256.Store(Vector256.Load(s + j), d + j);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; j + 4 <= count; j += 4)
            {
                Vector128.Store(Vector128.Load(s + j), d + j);
            }
        }
        for (; j < count; j++)
        {
            d[j] = s[j];
        }
    }

    // Eight source rows (k along each) become eight values per k step at dst[p·width .. +8).
    private static void TransposeRows8(float* s, nint ld, int kc, float* d, int width)
    {
        var p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            var r0 = Avx.LoadVector256(s + p);
            var r1 = Avx.LoadVector256(s + ld + p);
            var r2 = Avx.LoadVector256(s + (2 * ld) + p);
            var r3 = Avx.LoadVector256(s + (3 * ld) + p);
            var r4 = Avx.LoadVector256(s + (4 * ld) + p);
            var r5 = Avx.LoadVector256(s + (5 * ld) + p);
            var r6 = Avx.LoadVector256(s + (6 * ld) + p);
            var r7 = Avx.LoadVector256(s + (7 * ld) + p);

            var t0 = Avx.UnpackLow(r0, r1);
            var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5);
            var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7);
            var t7 = Avx.UnpackHigh(r6, r7);

            var u0 = Avx.Shuffle(t0, t2, 0x44);
            var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44);
            var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44);
            var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44);
            var u7 = Avx.Shuffle(t5, t7, 0xEE);

            var o = d + ((nint)p * width);
            Avx.Store(o, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(o + width, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(o + (2 * width), Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(o + (3 * width), Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(o + (4 * width), Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(o + (5 * width), Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(o + (6 * width), Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(o + (7 * width), Avx.Permute2x128(u3, u7, 0x31));
        }
        for (; p < kc; p++)
        {
            var o = d + ((nint)p * width);
            for (var q = 0; q < 8; q++)
            {
                o[q] = s[(q * ld) + p];
            }
        }
    }

    private static void TransposeRows4(float* s, nint ld, int kc, float* d, int width)
    {
        var p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            var r0 = Sse.LoadVector128(s + p);
            var r1 = Sse.LoadVector128(s + ld + p);
            var r2 = Sse.LoadVector128(s + (2 * ld) + p);
            var r3 = Sse.LoadVector128(s + (3 * ld) + p);
            var t0 = Sse.UnpackLow(r0, r1);
            var t1 = Sse.UnpackLow(r2, r3);
            var t2 = Sse.UnpackHigh(r0, r1);
            var t3 = Sse.UnpackHigh(r2, r3);
            var o = d + ((nint)p * width);
            Sse.Store(o, Sse.MoveLowToHigh(t0, t1));
            Sse.Store(o + width, Sse.MoveHighToLow(t1, t0));
            Sse.Store(o + (2 * width), Sse.MoveLowToHigh(t2, t3));
            Sse.Store(o + (3 * width), Sse.MoveHighToLow(t3, t2));
        }
        for (; p < kc; p++)
        {
            var o = d + ((nint)p * width);
            for (var q = 0; q < 4; q++)
            {
                o[q] = s[(q * ld) + p];
            }
        }
    }
}
