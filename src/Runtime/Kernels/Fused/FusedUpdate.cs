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
        var step = new UpdateStep(w, g, s1, s2, c);
        SimdLoop.Run(w.Length, ref step);
    }

    private ref struct UpdateStep(Span<float> w, ReadOnlySpan<float> g, Span<float> s1, Span<float> s2, UpdateContext c) : ISimdStep
    {
        private readonly Span<float> _w = w;
        private readonly ReadOnlySpan<float> _g = g;
        private readonly Span<float> _s1 = s1;
        private readonly Span<float> _s2 = s2;
        private readonly UpdateContext _c = c;

        public void Step<TV>(int i) where TV : struct, ISimd<TV>
        {
            ref var w = ref Unsafe.Add(ref MemoryMarshal.GetReference(_w), i);
            var wv = TV.Load(in w);
            var s1v = TRule.StateCount >= 1 ? TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_s1), i)) : TV.Zero;
            var s2v = TRule.StateCount >= 2 ? TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_s2), i)) : TV.Zero;
            TRule.Update(ref wv, TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_g), i)), ref s1v, ref s2v, _c);
            TV.Store(wv, ref w);
            if (TRule.StateCount >= 1) TV.Store(s1v, ref Unsafe.Add(ref MemoryMarshal.GetReference(_s1), i));
            if (TRule.StateCount >= 2) TV.Store(s2v, ref Unsafe.Add(ref MemoryMarshal.GetReference(_s2), i));
        }
    }
}
