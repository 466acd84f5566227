using DestinyDsl.Runtime.Kernels.Fusion;
using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels;

/// <summary>
/// <c>z[i] ← f(z[i] + bias[i % n]) ⊙ mask</c> over a [rows][n] buffer (i = row·n + column); outputs ignore the mask,
/// softmax layers only add the bias. Implicitly grouped.
/// </summary>
public delegate void EpilogueKernel(Index1D index, ArrayView<float> z, int n, ArrayView<float> bias, DropoutArgs mask);

/// <summary>
/// Sparse-input forward: <c>z[b][j] (+)= Σ_k x.Values[k]·w[x.Columns[k]·ldw + j]</c> over row b's non-zeros; when
/// <c>fuse</c> is 1 the layer's epilogue (bias, activation, mask) follows in the same pass. Implicitly grouped over
/// [rows][n].
/// </summary>
public delegate void SparseForwardKernel(Index1D index, SparseArgs x, ArrayView<float> w, int ldw, ArrayView<float> z, int n, int accumulate, int fuse, ArrayView<float> bias, DropoutArgs mask);

/// <summary>
/// Hidden backward: <c>δ ← ((δ + penalty[j]) ⊙ m) ⊙ f'(ã·keep)</c> (softmax: <c>⊙ a</c>, the runtime applies the
/// Jacobian). <c>hasPenalty</c> 0 = no penalty. Implicitly grouped over [rows][n].
/// </summary>
public delegate void BackwardKernel(Index1D index, ArrayView<float> delta, ArrayView<float> output, int n, ArrayView<float> penalty, int hasPenalty, DropoutArgs mask);

/// <summary>Output delta <c>δ[i] = Delta(a[i], t(row, column))</c> reading the targets directly. Implicitly grouped over [rows][n].</summary>
public delegate void DeltaKernel(Index1D index, ArrayView<float> output, ArrayView<float> delta, int n, TargetArgs targets, LossParameters loss);

/// <summary>
/// Batch loss: <c>total[0] += Σ ℓ(a[i], t(row, column))</c> over the first <c>count</c> elements of a [rows][n]
/// buffer, grid-stride, reduced per group on the device (<see cref="GroupSum"/>). Explicitly grouped.
/// </summary>
public delegate void LossKernel(ArrayView<float> output, int count, int n, TargetArgs targets, LossParameters loss, ArrayView<double> total);

/// <summary>
/// An element-wise output's whole training pass after its product, in one read of z: <c>a = f(z + bias[j])</c>,
/// <c>z ← a</c>, <c>δ ← Delta(a, t)</c>, and <c>total[0] += Σ ℓ(a, t)</c> over the first <c>count</c> elements of a
/// [rows][n] buffer (grid-stride, reduced per group like <see cref="LossKernel"/>). Explicitly grouped.
/// </summary>
public delegate void EpilogueDeltaLossKernel(ArrayView<float> z, ArrayView<float> delta, int count, int n, ArrayView<float> bias, TargetArgs targets, LossParameters loss, ArrayView<double> total);

/// <summary>The optimizer over a dense parameter tensor from its batch-summed gradient. Implicitly grouped over the tensor.</summary>
public delegate void DenseUpdateKernel(Index1D index, ArrayView<float> w, ArrayView<float> g, ArrayView<float> s1, ArrayView<float> s2, UpdateContext context);

/// <summary>
/// The optimizer over the rows of a sparse input's weights that occur in the batch: for i = u·n + j, feature
/// <c>f = features[u]</c>, gradient <c>g = Σ_k t.Values[k]·delta[t.Columns[k]·ldd + j]</c> over the batch transposed
/// (row u = the examples holding f), then the rule on <c>w[f·n + j]</c>. Implicitly grouped over [features][n].
/// </summary>
public delegate void SparseUpdateKernel(Index1D index, ArrayView<float> w, ArrayView<float> s1, ArrayView<float> s2, int n, SparseArgs transposed, ArrayView<int> features, ArrayView<float> delta, int ldd, UpdateContext context);

/// <summary>One network's generated GPU kernels, registered by generated code (<see cref="GpuKernelRegistry"/>).</summary>
public sealed class GpuKernelSet
{
    /// <summary>Creates the set; <paramref name="layers"/> is indexed like the spec's layers (null for inputs).</summary>
    public GpuKernelSet(IReadOnlyList<GpuLayerKernels?> layers, GpuUpdateKernels update)
    {
        Layers = layers ?? throw new ArgumentNullException(nameof(layers));
        Update = update ?? throw new ArgumentNullException(nameof(update));
    }

    /// <summary>Per layer, indexed like the spec's layers.</summary>
    public IReadOnlyList<GpuLayerKernels?> Layers { get; }

    /// <summary>The optimizer.</summary>
    public GpuUpdateKernels Update { get; }

    /// <summary>Every kernel of the set with a readable name, and whether it is explicitly grouped (uses shared memory).</summary>
    public IEnumerable<(string Name, Delegate Kernel, bool ExplicitlyGrouped)> Kernels()
    {
        for (var i = 0; i < Layers.Count; i++)
        {
            if (Layers[i] is not { } layer) continue;
            yield return ($"layer {i} epilogue", layer.Epilogue, false);
            if (layer.SparseForward is { } sparse) yield return ($"layer {i} sparse forward", sparse, false);
            if (layer is GpuHiddenKernels hidden) yield return ($"layer {i} backward", hidden.Backward, false);
            if (layer is GpuOutputKernels output)
            {
                yield return ($"layer {i} delta", output.Delta, false);
                yield return ($"layer {i} loss", output.Loss, true);
                if (output.EpilogueDeltaLoss is { } fused) yield return ($"layer {i} epilogue + delta + loss", fused, true);
            }
        }
        yield return ("dense update", Update.Dense, false);
        yield return ("sparse update", Update.Sparse, false);
    }
}

/// <summary>The generated kernels of one non-input layer.</summary>
public abstract class GpuLayerKernels
{
    private protected GpuLayerKernels(EpilogueKernel epilogue, SparseForwardKernel? sparseForward)
    {
        Epilogue = epilogue ?? throw new ArgumentNullException(nameof(epilogue));
        SparseForward = sparseForward;
    }

    /// <summary>Bias + activation (+ mask) after a product.</summary>
    public EpilogueKernel Epilogue { get; }

    /// <summary>Gather-sum from a sparse input, with the epilogue fused when asked; null when no sparse input feeds the layer.</summary>
    public SparseForwardKernel? SparseForward { get; }
}

/// <summary>A hidden layer's generated kernels.</summary>
public sealed class GpuHiddenKernels : GpuLayerKernels
{
    /// <summary>Creates the entry.</summary>
    public GpuHiddenKernels(EpilogueKernel epilogue, SparseForwardKernel? sparseForward, BackwardKernel backward)
        : base(epilogue, sparseForward)
        => Backward = backward ?? throw new ArgumentNullException(nameof(backward));

    /// <summary>Derivative + penalty + dropout over the layer's delta.</summary>
    public BackwardKernel Backward { get; }
}

/// <summary>An output layer's generated kernels.</summary>
public sealed class GpuOutputKernels : GpuLayerKernels
{
    /// <summary>Creates the entry; <paramref name="epilogueDeltaLoss"/> is null for a row-wise (softmax) output.</summary>
    public GpuOutputKernels(EpilogueKernel epilogue, SparseForwardKernel? sparseForward, DeltaKernel delta, LossKernel loss, EpilogueDeltaLossKernel? epilogueDeltaLoss = null)
        : base(epilogue, sparseForward)
    {
        Delta = delta ?? throw new ArgumentNullException(nameof(delta));
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
        EpilogueDeltaLoss = epilogueDeltaLoss;
    }

    /// <summary>
    /// Epilogue, loss delta and batch loss fused in one pass after the output product (element-wise outputs); the
    /// separate kernels serve softmax outputs, evaluation and outputs whose product is split by input rows.
    /// </summary>
    public EpilogueDeltaLossKernel? EpilogueDeltaLoss { get; }

    /// <summary>Loss delta reading the targets.</summary>
    public DeltaKernel Delta { get; }

    /// <summary>Batch loss reduced on the device.</summary>
    public LossKernel Loss { get; }
}

/// <summary>The network's generated optimizer kernels.</summary>
public sealed class GpuUpdateKernels
{
    /// <summary>Creates the entry.</summary>
    public GpuUpdateKernels(int stateCount, DenseUpdateKernel dense, SparseUpdateKernel sparse)
    {
        StateCount = stateCount;
        Dense = dense ?? throw new ArgumentNullException(nameof(dense));
        Sparse = sparse ?? throw new ArgumentNullException(nameof(sparse));
    }

    /// <summary>State tensors per parameter tensor (0, 1 or 2).</summary>
    public int StateCount { get; }

    /// <summary>Update of a dense tensor from its gradient.</summary>
    public DenseUpdateKernel Dense { get; }

    /// <summary>Update of the batch's rows of a sparse input's weights.</summary>
    public SparseUpdateKernel Sparse { get; }
}
