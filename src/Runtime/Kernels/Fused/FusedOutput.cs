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
        if (targets.IsSparse)
        {
            var step = new DeltaStep(a, default, delta, p);
            SimdLoop.Run(a.Length, ref step);
            var (first, end) = targets.SparseRange(row, column, column + a.Length);
            for (var k = first; k < end; k++)
            {
                var j = targets.Columns[k] - column;
                var t = targets.Values is null ? 1f : targets.Values[k];
                delta[j] = TOps.Delta(Scalar.Create(a[j]), Scalar.Create(t), p).Value;
            }
        }
        else
        {
            var step = new DeltaStep(a, targets.Dense.AsSpan((row * targets.Ld) + column, a.Length), delta, p);
            SimdLoop.Run(a.Length, ref step);
        }
        // The example's weight scales its whole delta (w_b·∂ℓ/∂a; unweighted data skips this, bit for bit as before).
        if (targets.Weights is { } weights) System.Numerics.Tensors.TensorPrimitives.Multiply(delta[..a.Length], weights[row], delta[..a.Length]);
    }

    /// <summary>
    /// w_b · Σ over the row's columns of ℓ(a, t), summed in a fixed order (float per chunk, double across chunks),
    /// the weight applied to the row's double sum (w = 1 without example weights).
    /// </summary>
    public static double RowLoss(ReadOnlySpan<float> a, BatchTargets targets, int row, in LossParameters p)
    {
        var n = a.Length;
        var dense = targets.IsSparse ? default : targets.Dense.AsSpan(row * targets.Ld, n);
        double total = 0;
        for (var at = 0; at < n; at += Chunk)
        {
            var len = Math.Min(Chunk, n - at);
            var step = new LossStep(a.Slice(at, len), dense.IsEmpty ? default : dense.Slice(at, len), p);
            SimdLoop.Run(len, ref step);
            total += step.Sum;
        }
        if (targets.IsSparse)
        {
            var (first, end) = targets.SparseRange(row, 0, int.MaxValue);
            for (var k = first; k < end; k++)
            {
                var av = Scalar.Create(a[targets.Columns[k]]);
                var t = targets.Values is null ? 1f : targets.Values[k];
                total += (double)TOps.Loss(av, Scalar.Create(t), p).Value - TOps.Loss(av, Scalar.Zero, p).Value;
            }
        }
        return targets.Weights is { } weights ? total * weights[row] : total;
    }

    /// <summary>delta = Delta(a, t), t = 0 when no dense targets are given (the sparse pass before its corrections).</summary>
    private ref struct DeltaStep(ReadOnlySpan<float> a, ReadOnlySpan<float> t, Span<float> delta, LossParameters p) : ISimdStep
    {
        private readonly ReadOnlySpan<float> _a = a;
        private readonly ReadOnlySpan<float> _t = t;
        private readonly Span<float> _delta = delta;
        private readonly LossParameters _p = p;

        public void Step<TV>(int i) where TV : struct, ISimd<TV>
        {
            var av = TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_a), i));
            var tv = _t.IsEmpty ? TV.Zero : TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_t), i));
            TV.Store(TOps.Delta(av, tv, _p), ref Unsafe.Add(ref MemoryMarshal.GetReference(_delta), i));
        }
    }

    /// <summary>Sum of ℓ(a, t) over a chunk, t = 0 when no dense targets are given.</summary>
    private ref struct LossStep(ReadOnlySpan<float> a, ReadOnlySpan<float> t, LossParameters p) : ISimdStep
    {
        private readonly ReadOnlySpan<float> _a = a;
        private readonly ReadOnlySpan<float> _t = t;
        private readonly LossParameters _p = p;

        public float Sum;

        public void Step<TV>(int i) where TV : struct, ISimd<TV>
        {
            var av = TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_a), i));
            var tv = _t.IsEmpty ? TV.Zero : TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_t), i));
            Sum += TV.Sum(TOps.Loss(av, tv, _p));
        }
    }
}
