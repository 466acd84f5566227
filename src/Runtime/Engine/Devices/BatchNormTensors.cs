namespace DestinyDsl.Runtime.Engine.Devices;

/// <summary>
/// One shard's batch-norm tensors of a layer on its device, each [n] except <see cref="Normalized"/> ([rows][n]):
/// what <see cref="IShardDevice.BatchNormForward"/> reads and writes and <see cref="IShardDevice.BatchNormBackward"/>
/// reads back.
/// </summary>
/// <param name="Gamma">γ.</param>
/// <param name="Beta">β.</param>
/// <param name="RunningMean">The running mean (moved by a training forward, read by inference).</param>
/// <param name="RunningVar">The running unbiased variance.</param>
/// <param name="Normalized">ẑ of the last training batch.</param>
/// <param name="InverseStd">1/√(σ² + ε) of the last training batch.</param>
/// <param name="GammaGradient">Σ_b δy·ẑ, written by the backward pass.</param>
/// <param name="BetaGradient">Σ_b δy, written by the backward pass.</param>
internal sealed record BatchNormTensors(
    DeviceTensor Gamma,
    DeviceTensor Beta,
    DeviceTensor RunningMean,
    DeviceTensor RunningVar,
    DeviceTensor Normalized,
    DeviceTensor InverseStd,
    DeviceTensor GammaGradient,
    DeviceTensor BetaGradient);
