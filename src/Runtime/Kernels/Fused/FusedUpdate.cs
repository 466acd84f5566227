using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>The optimizer loop, generic over the generated update rule: one pass over weights, gradient and state.</summary>
internal static class FusedUpdate<TRule> where TRule : struct, IUpdateRule
{
    /// <summary>
    /// Updates <paramref name="w"/> (and the state spans, which are ignored beyond the rule's state count) from the
    /// batch-summed gradient <paramref name="g"/>, all of the same length.
    /// </summary>
    public static void Apply(Span<float> w, ReadOnlySpan<float> g, Span<float> s1, Span<float> s2, in UpdateContext c)
    {
        var n = w.Length;
        ref var wr = ref MemoryMarshal.GetReference(w);
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var s1r = ref TRule.StateCount >= 1 ? ref MemoryMarshal.GetReference(s1) : ref wr;
        ref var s2r = ref TRule.StateCount >= 2 ? ref MemoryMarshal.GetReference(s2) : ref wr;
        var i = 0;
        if (SimdDispatch.Use512) i = Apply<Simd512>(ref wr, ref gr, ref s1r, ref s2r, n, i, c);
        else if (SimdDispatch.Use256) i = Apply<Simd256>(ref wr, ref gr, ref s1r, ref s2r, n, i, c);
        else if (SimdDispatch.Use128) i = Apply<Simd128>(ref wr, ref gr, ref s1r, ref s2r, n, i, c);
        Apply<Scalar>(ref wr, ref gr, ref s1r, ref s2r, n, i, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Apply<TV>(ref float w, ref float g, ref float s1, ref float s2, int n, int i, in UpdateContext c) where TV : struct, ISimd<TV>
    {
        for (; i <= n - TV.Count; i += TV.Count)
        {
            var wv = TV.Load(in Unsafe.Add(ref w, i));
            var s1v = TRule.StateCount >= 1 ? TV.Load(in Unsafe.Add(ref s1, i)) : TV.Zero;
            var s2v = TRule.StateCount >= 2 ? TV.Load(in Unsafe.Add(ref s2, i)) : TV.Zero;
            TRule.Update(ref wv, TV.Load(in Unsafe.Add(ref g, i)), ref s1v, ref s2v, c);
            TV.Store(wv, ref Unsafe.Add(ref w, i));
            if (TRule.StateCount >= 1) TV.Store(s1v, ref Unsafe.Add(ref s1, i));
            if (TRule.StateCount >= 2) TV.Store(s2v, ref Unsafe.Add(ref s2, i));
        }
        return i;
    }
}
