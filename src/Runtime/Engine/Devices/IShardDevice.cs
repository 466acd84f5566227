using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Engine.Devices;

/// <summary>
/// What one device does for one shard: buffers, products (with the layer's fused epilogue), the sparse gather and
/// sparse update, the fused element-wise passes, row and column statistics, copies. The schedule
/// (<see cref="ShardSchedule"/>) decides what runs when, which collective moves what and where epilogues fuse; a
/// device only computes. The CPU device runs the generated SIMD kernels on host arrays; the GPU device
/// (DestinyDsl.Runtime.Gpu) runs the generated ILGPU kernels and cuBLAS on device memory.
/// </summary>
/// <remarks>
/// Layer-specific operations take the layer's index in the spec; the device holds that layer's generated kernels.
/// Buffers are row-major; <c>n</c> is the shard's local unit count. Host spans passed in or out are copied before the
/// call returns. Calls come from the shard's own thread, one at a time.
/// </remarks>
internal interface IShardDevice : IDisposable
{
    /// <summary>What the device is, for messages ("cpu", "cuda:0 NVIDIA H100", "gpu-sim:1").</summary>
    string Name { get; }

    /// <summary>A zeroed buffer of <paramref name="length"/> floats.</summary>
    DeviceTensor Allocate(long length);

    /// <summary>A holder for a batch of a sparse input, filled by <see cref="LoadSparse"/>.</summary>
    DeviceSparse AllocateSparse();

    /// <summary>
    /// Makes <paramref name="batch"/> (filled on the host) the contents of <paramref name="target"/>. When
    /// <paramref name="forUpdate"/>, the device also prepares what its sparse weight update needs.
    /// </summary>
    void LoadSparse(DeviceSparse target, SparseBatch batch, bool forUpdate);

    /// <summary>The host array behind <paramref name="tensor"/> when the device computes in host memory (no copies needed).</summary>
    bool TryGetHost(DeviceTensor tensor, out float[] array);

    /// <summary>Copies <c>destination.Length</c> floats from <paramref name="source"/> at <paramref name="offset"/>.</summary>
    void Download(DeviceTensor source, long offset, Span<float> destination);

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> at <paramref name="offset"/>.</summary>
    void Upload(ReadOnlySpan<float> source, DeviceTensor destination, long offset);

    /// <summary>destination[offset..] += source.</summary>
    void AddFromHost(ReadOnlySpan<float> source, DeviceTensor destination, long offset);

    /// <summary>Zeroes <paramref name="count"/> floats from <paramref name="offset"/>.</summary>
    void Clear(DeviceTensor tensor, long offset, long count);

    /// <summary>values[b][j] ⊙= mask(b, j) over [rows][n] (a dense input's dropout).</summary>
    void ApplyMask(DeviceTensor values, int rows, int n, DropoutMask mask);

    /// <summary>
    /// z[rows][n] (at <paramref name="zOffset"/>) (+)= gather-sum of the rows of w[·][ldw] (from column
    /// <paramref name="wColumn"/>) named by the batch's non-zeros. When <paramref name="epilogue"/> is given the device
    /// may fuse the layer's forward epilogue into the same pass: returns true when it did.
    /// </summary>
    bool SparseProduct(int layer, DeviceSparse x, int rows, DeviceTensor w, int wColumn, int ldw, int n, bool accumulate, DeviceTensor z, long zOffset, LayerEpilogue? epilogue);

    /// <summary>C[m×n] (+)= op(A)·op(B), row-major with leading dimensions, each operand from an offset.</summary>
    void Multiply(bool transposeA, bool transposeB, int m, int n, int k, DeviceTensor a, long aOffset, int lda, DeviceTensor b, long bOffset, int ldb, bool accumulate, DeviceTensor c, long cOffset, int ldc);

    /// <summary>
    /// z[rows×n] (+)= a[rows×k]·w[k×n] (w row-major, leading dimension <paramref name="ldw"/>) followed by the layer's
    /// forward epilogue and, when <paramref name="delta"/> is given (an element-wise output while training), the loss delta.
    /// </summary>
    void ForwardProduct(int layer, DeviceTensor a, int lda, DeviceTensor w, int ldw, int rows, int n, int k, bool accumulate, DeviceTensor z, LayerEpilogue epilogue, OutputDeltaRequest? delta);

    /// <summary>The layer's forward epilogue (bias, activation, mask) over z[rows][n].</summary>
    void Epilogue(int layer, DeviceTensor z, int rows, int n, LayerEpilogue epilogue);

    /// <summary>An output's delta from its activations and targets (softmax: u = a·∂ℓ/∂a, the schedule applies the Jacobian).</summary>
    void OutputDelta(int layer, DeviceTensor output, DeviceTensor delta, int rows, int n, DeviceTargets targets, LossParameters loss);

    /// <summary>Σ over the batch and the shard's units of the output's element loss.</summary>
    double OutputLoss(int layer, DeviceTensor output, int rows, int n, DeviceTargets targets, LossParameters loss);

    /// <summary>delta ← ((delta + penalty) ⊙ m) ⊙ f'(a) over [rows][n] (softmax: ⊙ a).</summary>
    void HiddenBackward(int layer, DeviceTensor delta, DeviceTensor output, int rows, int n, DeviceTensor? penalty, DropoutMask mask);

    /// <summary>
    /// Batch normalisation of z[rows][n] (the products, without the bias): z + bias normalised per unit with the
    /// batch's mean and biased variance when <paramref name="training"/> (keeping ẑ and 1/√(σ² + ε), and moving the
    /// running statistics by <paramref name="momentum"/> towards the mean and the unbiased variance unless rows is 1),
    /// else with the running statistics; z ← γ ẑ + β. Sums per unit over the rows in order, in double.
    /// </summary>
    void BatchNormForward(DeviceTensor z, int rows, int n, DeviceTensor bias, BatchNormTensors bn, float momentum, float epsilon, bool training);

    /// <summary>
    /// delta[rows][n] (δy) ← δz = γ/σ · (δy − mean δy − ẑ · mean(δy ẑ)) through the last training normalisation;
    /// γ's and β's batch gradients (Σ δy ẑ, Σ δy) into <see cref="BatchNormTensors.GammaGradient"/> and <see cref="BatchNormTensors.BetaGradient"/>.
    /// </summary>
    void BatchNormBackward(DeviceTensor delta, int rows, int n, BatchNormTensors bn);

    /// <summary>The KL sparseness penalty's per-unit delta term from the batch mean of a[rows][n].</summary>
    void SparsenessPenalty(DeviceTensor output, int rows, int n, float p, float beta, DeviceTensor penalty);

    /// <summary>Row maxima of z[rows][n].</summary>
    void RowMax(DeviceTensor z, int rows, int n, Span<float> max);

    /// <summary>z ← exp(z − max[row]); row sums of the result.</summary>
    void ExpRowSums(DeviceTensor z, int rows, int n, ReadOnlySpan<float> max, Span<double> sums);

    /// <summary>z ← z · (1/sum[row]).</summary>
    void ScaleRows(DeviceTensor z, int rows, int n, ReadOnlySpan<double> sums);

    /// <summary>Row sums of u[rows][n].</summary>
    void RowSums(DeviceTensor u, int rows, int n, Span<double> sums);

    /// <summary>u ← u − a·sum[row].</summary>
    void SubtractScaledRows(DeviceTensor u, DeviceTensor a, int rows, int n, ReadOnlySpan<double> sums);

    /// <summary>The optimizer on a bias vector from the column sums of delta[rows][n].</summary>
    void UpdateBias(DeviceTensor delta, int rows, int n, ParameterTensors bias, UpdateContext context);

    /// <summary>The optimizer on w[m][n] from the gradient aᵀ·delta (a [k][lda], delta [k][ldd]).</summary>
    void UpdateFromProduct(int m, int n, int k, DeviceTensor a, int lda, DeviceTensor delta, int ldd, ParameterTensors w, UpdateContext context);

    /// <summary>
    /// The optimizer on the first <paramref name="count"/> parameters of <paramref name="w"/> from a stored gradient
    /// (a batch sum, like the fused products'): one step for a tied matrix, whose two uses' gradients were summed first.
    /// </summary>
    void UpdateFromGradient(DeviceTensor gradient, long count, ParameterTensors w, UpdateContext context);

    /// <summary>The optimizer on the rows of w[·][n] that occur in the sparse batch, from xᵀ·delta.</summary>
    void UpdateFromSparse(DeviceSparse x, int rows, int wRows, DeviceTensor delta, int ldd, int n, ParameterTensors w, UpdateContext context);

    /// <summary>Squared L2 norms of the columns of w[rows][columns].</summary>
    void ColumnSquareNorms(DeviceTensor w, int rows, int columns, Span<float> norms);

    /// <summary>w[r][c] ← w[r][c] · factors[c].</summary>
    void ScaleColumns(DeviceTensor w, int rows, int columns, ReadOnlySpan<float> factors);

    /// <summary>
    /// For each row of scores[rows][n]: the <paramref name="k"/> highest scores (descending, ties by the lower column,
    /// NaN never selected), skipping the row's columns in <paramref name="exclude"/> (local ids, ascending; null =
    /// none), into indices/values [rows][k]; counts[row] = how many were found.
    /// </summary>
    void SelectTopK(DeviceTensor scores, int rows, int n, int k, SparseBatch? exclude, Span<int> indices, Span<float> values, Span<int> counts);

    /// <summary>True when some of the first <paramref name="count"/> values are NaN or infinite.</summary>
    bool AnyNonFinite(DeviceTensor tensor, long count);
}
