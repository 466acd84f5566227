using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// The output layer's loss and delta loops, generic over the generated ops struct. Sparse targets are read
/// directly: one vector pass with every target taken as 0, then a scalar correction at the row's non-zeros.
/// </summary>
internal static class FusedOutput<TOps> where TOps : struct, IOutputLayerOps
{
    private const int Chunk = 512;

    /// <summary>
    /// delta[0..n) of one row segment (columns [column, column + n) of the shard's slice) from the activations
    /// <paramref name="a"/> and the targets of <paramref name="row"/>.
    /// </summary>
    public static void Delta(ReadOnlySpan<float> a, Span<float> delta, BatchTargets targets, int row, int column, in LossParameters p)
    {
        var n = a.Length;
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var dr = ref MemoryMarshal.GetReference(delta);
        if (targets.IsSparse)
        {
            var i = 0;
            if (SimdDispatch.Use512) i = DeltaZero<Simd512>(ref ar, ref dr, n, i, p);
            else if (SimdDispatch.Use256) i = DeltaZero<Simd256>(ref ar, ref dr, n, i, p);
            else if (SimdDispatch.Use128) i = DeltaZero<Simd128>(ref ar, ref dr, n, i, p);
            DeltaZero<Scalar>(ref ar, ref dr, n, i, p);
            var (first, end) = targets.SparseRange(row, column, column + n);
            for (var k = first; k < end; k++)
            {
                var j = targets.Columns[k] - column;
                var t = targets.Values is null ? 1f : targets.Values[k];
                delta[j] = TOps.Delta(Scalar.Create(a[j]), Scalar.Create(t), p).Value;
            }
        }
        else
        {
            ref var tr = ref targets.Dense[(row * targets.Ld) + column];
            var i = 0;
            if (SimdDispatch.Use512) i = DeltaDense<Simd512>(ref ar, ref tr, ref dr, n, i, p);
            else if (SimdDispatch.Use256) i = DeltaDense<Simd256>(ref ar, ref tr, ref dr, n, i, p);
            else if (SimdDispatch.Use128) i = DeltaDense<Simd128>(ref ar, ref tr, ref dr, n, i, p);
            DeltaDense<Scalar>(ref ar, ref tr, ref dr, n, i, p);
        }
    }

    /// <summary>Σ over the row's columns of ℓ(a, t), summed in a fixed order (float lanes per chunk, double across chunks).</summary>
    public static double RowLoss(ReadOnlySpan<float> a, BatchTargets targets, int row, in LossParameters p)
    {
        var n = a.Length;
        ref var ar = ref MemoryMarshal.GetReference(a);
        double total = 0;
        if (targets.IsSparse)
        {
            for (var at = 0; at < n; at += Chunk)
            {
                var len = Math.Min(Chunk, n - at);
                total += LossZeroChunk(ref Unsafe.Add(ref ar, at), len, p);
            }
            var (first, end) = targets.SparseRange(row, 0, int.MaxValue);
            for (var k = first; k < end; k++)
            {
                var av = Scalar.Create(a[targets.Columns[k]]);
                var t = targets.Values is null ? 1f : targets.Values[k];
                total += (double)TOps.Loss(av, Scalar.Create(t), p).Value - TOps.Loss(av, Scalar.Zero, p).Value;
            }
        }
        else
        {
            ref var tr = ref targets.Dense[row * targets.Ld];
            for (var at = 0; at < n; at += Chunk)
            {
                var len = Math.Min(Chunk, n - at);
                total += LossDenseChunk(ref Unsafe.Add(ref ar, at), ref Unsafe.Add(ref tr, at), len, p);
            }
        }
        return total;
    }

    private static float LossZeroChunk(ref float a, int n, in LossParameters p)
    {
        var i = 0;
        float sum = 0;
        if (SimdDispatch.Use512) sum += LossZero<Simd512>(ref a, n, ref i, p);
        else if (SimdDispatch.Use256) sum += LossZero<Simd256>(ref a, n, ref i, p);
        else if (SimdDispatch.Use128) sum += LossZero<Simd128>(ref a, n, ref i, p);
        return sum + LossZero<Scalar>(ref a, n, ref i, p);
    }

    private static float LossDenseChunk(ref float a, ref float t, int n, in LossParameters p)
    {
        var i = 0;
        float sum = 0;
        if (SimdDispatch.Use512) sum += LossDense<Simd512>(ref a, ref t, n, ref i, p);
        else if (SimdDispatch.Use256) sum += LossDense<Simd256>(ref a, ref t, n, ref i, p);
        else if (SimdDispatch.Use128) sum += LossDense<Simd128>(ref a, ref t, n, ref i, p);
        return sum + LossDense<Scalar>(ref a, ref t, n, ref i, p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DeltaZero<TV>(ref float a, ref float d, int n, int i, in LossParameters p) where TV : struct, ISimd<TV>
    {
        for (; i <= n - TV.Count; i += TV.Count)
        {
            TV.Store(TOps.Delta(TV.Load(in Unsafe.Add(ref a, i)), TV.Zero, p), ref Unsafe.Add(ref d, i));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DeltaDense<TV>(ref float a, ref float t, ref float d, int n, int i, in LossParameters p) where TV : struct, ISimd<TV>
    {
        for (; i <= n - TV.Count; i += TV.Count)
        {
            TV.Store(TOps.Delta(TV.Load(in Unsafe.Add(ref a, i)), TV.Load(in Unsafe.Add(ref t, i)), p), ref Unsafe.Add(ref d, i));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float LossZero<TV>(ref float a, int n, ref int i, in LossParameters p) where TV : struct, ISimd<TV>
    {
        var acc = TV.Zero;
        for (; i <= n - TV.Count; i += TV.Count)
        {
            acc += TOps.Loss(TV.Load(in Unsafe.Add(ref a, i)), TV.Zero, p);
        }
        return TV.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float LossDense<TV>(ref float a, ref float t, int n, ref int i, in LossParameters p) where TV : struct, ISimd<TV>
    {
        var acc = TV.Zero;
        for (; i <= n - TV.Count; i += TV.Count)
        {
            acc += TOps.Loss(TV.Load(in Unsafe.Add(ref a, i)), TV.Load(in Unsafe.Add(ref t, i)), p);
        }
        return TV.Sum(acc);
    }
}
