using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// The per-layer element-wise loops, generic over the generated ops struct: forward <c>a = f(z + b)</c> (then the
/// dropout mask), backward <c>δz = ((δã + penalty) ⊙ m) ⊙ f'(a)</c>. One pass over a row segment while it is in cache.
/// </summary>
internal static class FusedActivation<TOps> where TOps : struct, IActivationOps
{
    private const int MaskChunk = 256;

    /// <summary>segment ← f(segment + bias); softmax layers only add the bias (rows are normalised afterwards).</summary>
    public static void BiasActivate(Span<float> segment, ReadOnlySpan<float> bias)
    {
        ref var z = ref MemoryMarshal.GetReference(segment);
        ref var b = ref MemoryMarshal.GetReference(bias);
        var n = segment.Length;
        var i = 0;
        if (SimdDispatch.Use512) i = BiasActivate<Simd512>(ref z, ref b, n, i);
        else if (SimdDispatch.Use256) i = BiasActivate<Simd256>(ref z, ref b, n, i);
        else if (SimdDispatch.Use128) i = BiasActivate<Simd128>(ref z, ref b, n, i);
        BiasActivate<Scalar>(ref z, ref b, n, i);
    }

    /// <summary>segment ← segment ⊙ mask(row, column..): inverted dropout.</summary>
    public static void ApplyMask(Span<float> segment, in DropoutMask mask, int row, int column)
    {
        Span<float> m = stackalloc float[MaskChunk];
        for (var at = 0; at < segment.Length; at += MaskChunk)
        {
            var chunk = segment.Slice(at, Math.Min(MaskChunk, segment.Length - at));
            var mc = m[..chunk.Length];
            mask.Fill(row, column + at, mc);
            TensorPrimitives.Multiply(chunk, mc, chunk);
        }
    }

    /// <summary>
    /// delta ← ((delta + penalty) ⊙ m) ⊙ f'(a) for one row segment (softmax: ⊙ a, the engine applies the Jacobian), where <paramref name="output"/> holds ã = a ⊙ m
    /// (a = ã·(1 − p) wherever m ≠ 0). <paramref name="penalty"/> empty = none; mask inactive = no dropout.
    /// </summary>
    public static void Backward(Span<float> delta, ReadOnlySpan<float> output, ReadOnlySpan<float> penalty, in DropoutMask mask, int row, int column)
    {
        var n = delta.Length;
        Span<float> m = stackalloc float[MaskChunk];
        var hasMask = mask.IsActive;
        var keep = mask.Keep;
        for (var at = 0; at < n; at += MaskChunk)
        {
            var len = Math.Min(MaskChunk, n - at);
            if (hasMask) mask.Fill(row, column + at, m[..len]);
            ref var d = ref Unsafe.Add(ref MemoryMarshal.GetReference(delta), at);
            ref var a = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), at);
            ref var p = ref penalty.IsEmpty ? ref Unsafe.NullRef<float>() : ref Unsafe.Add(ref MemoryMarshal.GetReference(penalty), at);
            ref var mr = ref MemoryMarshal.GetReference(m);
            var i = 0;
            if (SimdDispatch.Use512) i = Backward<Simd512>(ref d, ref a, ref p, ref mr, len, i, !penalty.IsEmpty, hasMask, keep);
            else if (SimdDispatch.Use256) i = Backward<Simd256>(ref d, ref a, ref p, ref mr, len, i, !penalty.IsEmpty, hasMask, keep);
            else if (SimdDispatch.Use128) i = Backward<Simd128>(ref d, ref a, ref p, ref mr, len, i, !penalty.IsEmpty, hasMask, keep);
            Backward<Scalar>(ref d, ref a, ref p, ref mr, len, i, !penalty.IsEmpty, hasMask, keep);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BiasActivate<TV>(ref float z, ref float b, int n, int i) where TV : struct, ISimd<TV>
    {
        for (; i <= n - TV.Count; i += TV.Count)
        {
            var v = TV.Load(in Unsafe.Add(ref z, i)) + TV.Load(in Unsafe.Add(ref b, i));
            if (!TOps.IsSoftmax) v = TOps.Activate(v);
            TV.Store(v, ref Unsafe.Add(ref z, i));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Backward<TV>(ref float d, ref float a, ref float p, ref float m, int n, int i, bool penalty, bool dropout, float keep)
        where TV : struct, ISimd<TV>
    {
        var keepV = TV.Create(keep);
        for (; i <= n - TV.Count; i += TV.Count)
        {
            var dv = TV.Load(in Unsafe.Add(ref d, i));
            if (penalty) dv += TV.Load(in Unsafe.Add(ref p, i));
            var av = TV.Load(in Unsafe.Add(ref a, i));
            if (dropout)
            {
                dv *= TV.Load(in Unsafe.Add(ref m, i));
                av *= keepV;
            }
            // Softmax needs the whole row: leave u = a ⊙ δa for the engine's Jacobian pass.
            TV.Store(TOps.IsSoftmax ? dv * av : dv * TOps.Derivative(av), ref Unsafe.Add(ref d, i));
        }
        return i;
    }
}
