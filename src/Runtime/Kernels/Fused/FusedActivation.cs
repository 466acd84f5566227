using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// The per-layer element-wise loops, generic over the generated ops struct: forward <c>a = f(z + b)</c> (then the
/// dropout mask), backward <c>δz = ((δã + penalty) ⊙ m) ⊙ f'(a)</c>. One pass over a row segment while it is in cache,
/// run by <see cref="SimdLoop"/> (widest width, then the tail), so the generated formulas get the JIT's whole inline budget.
/// </summary>
internal static class FusedActivation<TOps> where TOps : struct, IActivationOps
{
    private const int MaskChunk = 256;

    /// <summary>segment ← f(segment + bias); softmax layers only add the bias (rows are normalised afterwards).</summary>
    public static void BiasActivate(Span<float> segment, ReadOnlySpan<float> bias)
    {
        var step = new BiasActivateStep(segment, bias);
        SimdLoop.Run(segment.Length, ref step);
    }

    /// <summary>
    /// delta ← ((delta + penalty) ⊙ m) ⊙ f'(a) for one row segment (softmax: ⊙ a, the engine applies the Jacobian),
    /// where <paramref name="output"/> holds ã = a ⊙ m (a = ã·(1 − p) wherever m ≠ 0). <paramref name="penalty"/>
    /// empty = none; mask inactive = no dropout.
    /// </summary>
    public static void Backward(Span<float> delta, ReadOnlySpan<float> output, ReadOnlySpan<float> penalty, in DropoutMask mask, int row, int column)
    {
        var n = delta.Length;
        Span<float> m = stackalloc float[MaskChunk];
        var hasMask = mask.IsActive;
        for (var at = 0; at < n; at += MaskChunk)
        {
            var len = Math.Min(MaskChunk, n - at);
            if (hasMask) mask.Fill(row, column + at, m[..len]);
            var step = new BackwardStep(delta.Slice(at, len), output.Slice(at, len), penalty.IsEmpty ? default : penalty.Slice(at, len), hasMask ? m[..len] : default, mask.Keep);
            SimdLoop.Run(len, ref step);
        }
    }

    private ref struct BiasActivateStep(Span<float> z, ReadOnlySpan<float> bias) : ISimdStep
    {
        private readonly Span<float> _z = z;
        private readonly ReadOnlySpan<float> _bias = bias;

        public void Step<TV>(int i) where TV : struct, ISimd<TV>
        {
            ref var z = ref Unsafe.Add(ref MemoryMarshal.GetReference(_z), i);
            var v = TV.Load(in z) + TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_bias), i));
            TV.Store(TOps.IsSoftmax ? v : TOps.Activate(v), ref z);
        }
    }

    private ref struct BackwardStep(Span<float> delta, ReadOnlySpan<float> output, ReadOnlySpan<float> penalty, ReadOnlySpan<float> mask, float keep) : ISimdStep
    {
        private readonly Span<float> _delta = delta;
        private readonly ReadOnlySpan<float> _output = output;
        private readonly ReadOnlySpan<float> _penalty = penalty;
        private readonly ReadOnlySpan<float> _mask = mask;
        private readonly float _keep = keep;

        public void Step<TV>(int i) where TV : struct, ISimd<TV>
        {
            ref var d = ref Unsafe.Add(ref MemoryMarshal.GetReference(_delta), i);
            var dv = TV.Load(in d);
            if (!_penalty.IsEmpty) dv += TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_penalty), i));
            var av = TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_output), i));
            if (!_mask.IsEmpty)
            {
                dv *= TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_mask), i));
                av *= TV.Create(_keep);
            }
            // Softmax needs the whole row: leave u = a ⊙ δa for the engine's Jacobian pass.
            TV.Store(TOps.IsSoftmax ? dv * av : dv * TOps.Derivative(av), ref d);
        }
    }
}
