using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Kernels;

/// <summary>Kernels of one non-input layer, closed over its generated ops struct. Only the runtime derives from it.</summary>
public abstract class LayerKernels
{
    private protected LayerKernels()
    {
    }

    /// <summary>The layer normalises rows (softmax): the engine runs the shard-aware softmax passes.</summary>
    internal abstract bool IsSoftmax { get; }

    /// <summary>Bias + activation over a whole [rows][n] buffer (after a reduce-scatter or a sparse gather).</summary>
    internal abstract void Forward(float[] z, int rows, int n, float[] bias, DropoutMask mask);

    /// <summary>
    /// z[rows×n] (+)= a[rows×k]·w[k×n] (w row-major with leading dimension <paramref name="ldw"/>, starting at
    /// <paramref name="wOffset"/>) with this layer's forward step fused into the product's epilogue.
    /// </summary>
    internal abstract void ForwardProduct(float[] a, int lda, float[] w, int wOffset, int ldw, int rows, int n, int k, bool accumulate, float[] z, float[] bias, DropoutMask mask, FusedDelta? delta);

    /// <summary>
    /// Exact layer-specific work the output product may fuse: the delta and where to write it, and, with
    /// <paramref name="Partials"/>, the loss's per-chunk sums for a later <see cref="OutputKernels.Loss"/>.
    /// </summary>
    internal sealed record FusedDelta(float[] Delta, BatchTargets Targets, LossParameters Loss, LossPartials? Partials = null);
}

/// <summary>Kernels of a hidden layer. Only the runtime derives from it.</summary>
public abstract class HiddenKernels : LayerKernels
{
    private protected HiddenKernels()
    {
    }

    /// <summary>The layer declares dropout (the generator knew at build time).</summary>
    internal abstract bool HasDropout { get; }

    /// <summary>The network's sparseness penalty applies to the layer.</summary>
    internal abstract bool HasSparsenessPenalty { get; }

    /// <summary>delta ← ((delta + penalty) ⊙ m) ⊙ f'(a) over [rows][n] (softmax: ⊙ a; the engine finishes the Jacobian).</summary>
    internal abstract void Backward(float[] delta, float[] output, int rows, int n, float[]? penalty, DropoutMask mask);
}

/// <summary>Kernels of an output layer. Only the runtime derives from it.</summary>
public abstract class OutputKernels : LayerKernels
{
    private protected OutputKernels()
    {
    }

    /// <summary>Element-wise outputs: δz; softmax: u = a·∂ℓ/∂a (the engine applies the Jacobian).</summary>
    internal abstract void Delta(float[] output, float[] delta, int rows, int n, BatchTargets targets, LossParameters loss);

    /// <summary>
    /// Per-row loss sums into <paramref name="rowLoss"/>; chunks already summed by the forward product's epilogue are
    /// taken from <paramref name="partials"/> (the result is the same bit for bit either way).
    /// </summary>
    internal abstract void Loss(float[] output, int rows, int n, BatchTargets targets, LossParameters loss, double[] rowLoss, LossPartials? partials = null);
}

/// <summary>A hidden layer: fused bias + activation + dropout forward, fused derivative + penalty + dropout backward.</summary>
public sealed class HiddenLayerKernels<TOps> : HiddenKernels
    where TOps : struct, IHiddenLayerOps
{
    internal override bool IsSoftmax => TOps.IsSoftmax;

    internal override bool HasDropout => TOps.HasDropout;

    internal override bool HasSparsenessPenalty => TOps.HasSparsenessPenalty;

    internal override void Forward(float[] z, int rows, int n, float[] bias, DropoutMask mask)
    {
        var dropout = TOps.HasDropout && mask.IsActive;
        RowParallel.For(rows, n, row =>
        {
            var segment = z.AsSpan(row * n, n);
            FusedActivation<TOps>.BiasActivate(segment, bias);
            if (dropout) mask.Apply(segment, row, 0);
        });
    }

    internal override void ForwardProduct(float[] a, int lda, float[] w, int wOffset, int ldw, int rows, int n, int k, bool accumulate, float[] z, float[] bias, DropoutMask mask, FusedDelta? delta)
        => Gemm.Multiply(false, false, rows, n, k, a, lda, w.AsSpan(wOffset), ldw, accumulate, z, n, new HiddenForwardEpilogue<TOps>(bias, mask));

    internal override void Backward(float[] delta, float[] output, int rows, int n, float[]? penalty, DropoutMask mask)
    {
        var m = TOps.HasDropout ? mask : mask with { Probability = 0f };
        RowParallel.For(rows, n, row => FusedActivation<TOps>.Backward(delta.AsSpan(row * n, n), output.AsSpan(row * n, n), penalty, m, row, 0));
    }
}

/// <summary>An output layer: fused bias + activation forward, fused loss + delta reading targets directly.</summary>
public sealed class OutputLayerKernels<TOps> : OutputKernels
    where TOps : struct, IOutputLayerOps
{
    internal override bool IsSoftmax => TOps.IsSoftmax;

    internal override void Forward(float[] z, int rows, int n, float[] bias, DropoutMask mask)
        => RowParallel.For(rows, n, row => FusedActivation<TOps>.BiasActivate(z.AsSpan(row * n, n), bias));

    internal override void ForwardProduct(float[] a, int lda, float[] w, int wOffset, int ldw, int rows, int n, int k, bool accumulate, float[] z, float[] bias, DropoutMask mask, FusedDelta? delta)
        => Gemm.Multiply(false, false, rows, n, k, a, lda, w.AsSpan(wOffset), ldw, accumulate, z, n,
            new OutputForwardEpilogue<TOps>(bias, delta?.Delta, delta?.Targets, delta?.Loss ?? default, delta?.Partials));

    internal override void Delta(float[] output, float[] delta, int rows, int n, BatchTargets targets, LossParameters loss)
        => RowParallel.For(rows, n, row => FusedOutput<TOps>.Delta(output.AsSpan(row * n, n), delta.AsSpan(row * n, n), targets, row, 0, loss));

    internal override void Loss(float[] output, int rows, int n, BatchTargets targets, LossParameters loss, double[] rowLoss, LossPartials? partials = null)
        // With partials, a row is left with adding its chunk sums and the sparse targets' corrections (two scalar
        // losses per non-zero, the larger part), plus any chunk no segment held whole; still worth both threads.
        => RowParallel.For(rows, n, row => rowLoss[row] = FusedOutput<TOps>.RowLoss(output.AsSpan(row * n, n), targets, row, loss, partials));
}

/// <summary>The optimizer update. Only the runtime derives from it.</summary>
public abstract class UpdateKernels
{
    private protected UpdateKernels()
    {
    }

    /// <summary>How many state tensors the rule keeps per parameter tensor.</summary>
    internal abstract int StateCount { get; }

    /// <summary>dW = op(A)·op(B) consumed tile by tile by the update of the weight block (never stored).</summary>
    internal abstract void UpdateFromProduct(bool transposeA, bool transposeB, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] weights, float[] state1, float[] state2, int ldw, UpdateContext context);

    /// <summary>Sparse-input weight gradient (one row per occurring feature) consumed by the update of those rows only.</summary>
    internal abstract void UpdateFromSparse(int rows, int[] offsets, int[] columns, float[]? values, int columnCount, float[] delta, int ldd, int n, float[] weights, float[] state1, float[] state2, UpdateContext context);

    /// <summary>Updates a parameter vector from its gradient (biases: column sums of the delta).</summary>
    internal abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> state1, Span<float> state2, UpdateContext context);
}

/// <summary>The optimizer update closed over the generated rule, fused into the weight-gradient products.</summary>
public sealed class UpdateKernels<TRule> : UpdateKernels
    where TRule : struct, IUpdateRule
{
    internal override int StateCount => TRule.StateCount;

    internal override void UpdateFromProduct(bool transposeA, bool transposeB, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] weights, float[] state1, float[] state2, int ldw, UpdateContext context)
        => Gemm.MultiplyToSink(transposeA, transposeB, m, n, k, a, lda, b, ldb, new WeightUpdateSink<TRule>(weights, state1, state2, ldw, context));

    internal override void UpdateFromSparse(int rows, int[] offsets, int[] columns, float[]? values, int columnCount, float[] delta, int ldd, int n, float[] weights, float[] state1, float[] state2, UpdateContext context)
        => SparseKernels.TransposedProductToSink(rows, offsets, columns, values, columnCount, delta, ldd, n, new WeightUpdateSink<TRule>(weights, state1, state2, n, context));

    internal override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> state1, Span<float> state2, UpdateContext context)
        => FusedUpdate<TRule>.Apply(parameters, gradient, state1, state2, context);
}
