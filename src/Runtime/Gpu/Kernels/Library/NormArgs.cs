using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>
/// A batch normalisation's buffers and settings as one kernel parameter (see <see cref="NormKernels"/>): the [rows][n]
/// block (z forward, δ backward), the per-unit vectors and what the training pass keeps for the backward pass.
/// </summary>
/// <remarks>One struct instead of fourteen parameters, as <see cref="GemmArgs"/>.</remarks>
internal readonly struct NormArgs
{
    public readonly ArrayView<float> Block;
    public readonly ArrayView<float> Bias;
    public readonly ArrayView<float> Gamma;
    public readonly ArrayView<float> Beta;
    public readonly ArrayView<float> RunningMean;
    public readonly ArrayView<float> RunningVar;
    public readonly ArrayView<float> Normalized;
    public readonly ArrayView<float> InverseStd;
    public readonly ArrayView<float> GammaGradient;
    public readonly ArrayView<float> BetaGradient;
    public readonly int Rows;
    public readonly int N;
    public readonly float Momentum;
    public readonly float Epsilon;

    /// <summary>Bundles the arguments (views the pass does not use may be empty).</summary>
    public NormArgs(
        ArrayView<float> block, int rows, int n, ArrayView<float> bias, ArrayView<float> gamma, ArrayView<float> beta,
        ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> normalized, ArrayView<float> inverseStd,
        ArrayView<float> gammaGradient, ArrayView<float> betaGradient, float momentum, float epsilon)
    {
        Block = block;
        Rows = rows;
        N = n;
        Bias = bias;
        Gamma = gamma;
        Beta = beta;
        RunningMean = runningMean;
        RunningVar = runningVar;
        Normalized = normalized;
        InverseStd = inverseStd;
        GammaGradient = gammaGradient;
        BetaGradient = betaGradient;
        Momentum = momentum;
        Epsilon = epsilon;
    }
}
