using System.Runtime.CompilerServices;
using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Kernels.Sparse;

/// <summary>
/// The inner loop of both sparse kernels: a weighted sum of selected rows of a dense matrix into one row segment,
/// <c>dst[0..n) = (accumulate ? dst : 0) + Σ_t v_t · M[index_t, 0..n)</c>, t ascending.
/// </summary>
/// <remarks>
/// Entries are taken four at a time with the columns inner: four source rows stream sequentially (what hardware
/// prefetchers follow) and dst is loaded and stored once per four entries. Each element is still one FMA chain in
/// ascending t, so the result does not depend on the grouping, the width or the thread.
/// </remarks>
internal static unsafe class SparseRowSum
{
    /// <param name="values">Entry weights, or null when every weight is 1.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TV>(float* dst, int n, bool accumulate, int* indices, float* values, int count, float* matrix, nint ld)
        where TV : struct, ISimd<TV>
    {
        if (count == 0)
        {
            if (!accumulate)
            {
                new Span<float>(dst, n).Clear();
            }
            return;
        }

        var first = !accumulate;
        var t = 0;
        for (; t + 4 <= count; t += 4)
        {
            var r0 = matrix + (indices[t] * ld);
            var r1 = matrix + (indices[t + 1] * ld);
            var r2 = matrix + (indices[t + 2] * ld);
            var r3 = matrix + (indices[t + 3] * ld);
            float v0 = 1f, v1 = 1f, v2 = 1f, v3 = 1f;
            if (values != null)
            {
                v0 = values[t];
                v1 = values[t + 1];
                v2 = values[t + 2];
                v3 = values[t + 3];
            }
            Four<TV>(dst, n, first, r0, r1, r2, r3, v0, v1, v2, v3);
            first = false;
        }
        for (; t < count; t++)
        {
            One<TV>(dst, n, first, matrix + (indices[t] * ld), values == null ? 1f : values[t]);
            first = false;
        }
    }

    private static void Four<TV>(float* dst, int n, bool first, float* r0, float* r1, float* r2, float* r3, float v0, float v1, float v2, float v3)
        where TV : struct, ISimd<TV>
    {
        var w0 = TV.Create(v0);
        var w1 = TV.Create(v1);
        var w2 = TV.Create(v2);
        var w3 = TV.Create(v3);
        var j = 0;
        for (; j <= n - TV.Count; j += TV.Count)
        {
            var z = first ? TV.Zero : TV.Load(in dst[j]);
            z = TV.MultiplyAdd(w0, TV.Load(in r0[j]), z);
            z = TV.MultiplyAdd(w1, TV.Load(in r1[j]), z);
            z = TV.MultiplyAdd(w2, TV.Load(in r2[j]), z);
            z = TV.MultiplyAdd(w3, TV.Load(in r3[j]), z);
            TV.Store(z, ref dst[j]);
        }
        for (; j < n; j++)
        {
            var z = first ? 0f : dst[j];
            z = MathF.FusedMultiplyAdd(v0, r0[j], z);
            z = MathF.FusedMultiplyAdd(v1, r1[j], z);
            z = MathF.FusedMultiplyAdd(v2, r2[j], z);
            z = MathF.FusedMultiplyAdd(v3, r3[j], z);
            dst[j] = z;
        }
    }

    private static void One<TV>(float* dst, int n, bool first, float* r, float v)
        where TV : struct, ISimd<TV>
    {
        var w = TV.Create(v);
        var j = 0;
        for (; j <= n - TV.Count; j += TV.Count)
        {
            var z = first ? TV.Zero : TV.Load(in dst[j]);
            TV.Store(TV.MultiplyAdd(w, TV.Load(in r[j]), z), ref dst[j]);
        }
        for (; j < n; j++)
        {
            dst[j] = MathF.FusedMultiplyAdd(v, r[j], first ? 0f : dst[j]);
        }
    }
}
