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
    /// The loss of the whole chunks inside one finished segment (columns [column, column + a.Length) of a row of
    /// width <paramref name="n"/>), recorded in <paramref name="partials"/>: called by the forward product's epilogue.
    /// </summary>
    public static void SegmentLoss(ReadOnlySpan<float> a, BatchTargets targets, int row, int column, int n, in LossParameters p, LossPartials partials)
    {
        const int C = LossPartials.ChunkColumns;
        var end = column + a.Length;
        for (var chunk = (column + C - 1) / C; chunk * C < end; chunk++)
        {
            var start = chunk * C;
            var len = Math.Min(C, n - start);
            if (start + len > end) break;   // cut by the segment's end: summed when the loss is read
            partials.Set(row, chunk, ChunkLoss(a.Slice(start - column, len), targets, row, start, p));
        }
        if (targets.IsSparse)
        {
            // Every non-zero lies in exactly one segment: its correction is computed there, while a is in cache.
            var (first, last) = targets.SparseRange(row, column, end);
            for (var k = first; k < last; k++)
            {
                partials.SetCorrection(k, Correction(a[targets.Columns[k] - column], targets, k, p));
            }
        }
    }

    /// <summary>
    /// w_b · Σ over the row's columns of ℓ(a, t), summed in a fixed order: float per chunk of
    /// <see cref="LossPartials.ChunkColumns"/>, double across chunks, then the sparse targets' corrections; the weight
    /// applied to the row's double sum (w = 1 without example weights). Chunks the epilogue already summed are taken
    /// from <paramref name="partials"/> (the same value, computed earlier).
    /// </summary>
    public static double RowLoss(ReadOnlySpan<float> a, BatchTargets targets, int row, in LossParameters p, LossPartials? partials = null)
    {
        const int C = LossPartials.ChunkColumns;
        var n = a.Length;
        double total = 0;
        for (var chunk = 0; chunk * C < n; chunk++)
        {
            var at = chunk * C;
            if (partials is null || !partials.TryGet(row, chunk, out var sum))
            {
                sum = ChunkLoss(a.Slice(at, Math.Min(C, n - at)), targets, row, at, p);
            }
            total += sum;
        }
        if (targets.IsSparse)
        {
            var (first, end) = targets.SparseRange(row, 0, int.MaxValue);
            for (var k = first; k < end; k++)
            {
                if (partials is null || !partials.TryGetCorrection(k, out var correction))
                {
                    correction = Correction(a[targets.Columns[k]], targets, k, p);
                }
                total += correction;
            }
        }
        return targets.Weights is { } weights ? total * weights[row] : total;
    }

    /// <summary>ℓ(a, t) − ℓ(a, 0) at sparse non-zero <paramref name="k"/>: what the pass that took t = 0 missed.</summary>
    private static double Correction(float a, BatchTargets targets, int k, in LossParameters p)
    {
        var av = Scalar.Create(a);
        var t = targets.Values is null ? 1f : targets.Values[k];
        return (double)TOps.Loss(av, Scalar.Create(t), p).Value - TOps.Loss(av, Scalar.Zero, p).Value;
    }

    /// <summary>Σ ℓ(a, t) over one chunk starting at <paramref name="column"/> (sparse targets: every t taken as 0).</summary>
    private static float ChunkLoss(ReadOnlySpan<float> a, BatchTargets targets, int row, int column, in LossParameters p)
    {
        var t = targets.IsSparse ? default : targets.Dense.AsSpan((row * targets.Ld) + column, a.Length);
        var step = new LossStep(a, t, p);
        SimdLoop.Run(a.Length, ref step);
        return step.Sum;
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
