using DestinyDsl.Runtime.Engine.Devices;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// One shard's slice of a hidden layer's batch normalisation: γ and β on the device with their optimizer state (the
/// optimizer updates them like biases), the running statistics, and what the last training forward kept for the
/// backward pass. Per unit, so a shard holds exactly its own units' share: statistics need no communication.
/// </summary>
internal sealed class LayerBatchNorm(int units, ParameterTensors gamma, ParameterTensors beta, DeviceTensor gammaGradient, DeviceTensor betaGradient)
{
    public int Units { get; } = units;

    /// <summary>γ (PyTorch's <c>weight</c>), initially 1.</summary>
    public ParameterTensors Gamma { get; } = gamma;

    /// <summary>β (PyTorch's <c>bias</c>), initially 0.</summary>
    public ParameterTensors Beta { get; } = beta;

    /// <summary>The running mean, initially 0.</summary>
    public float[] RunningMean { get; } = new float[units];

    /// <summary>The running variance (unbiased batch variances), initially 1.</summary>
    public float[] RunningVar { get; } = Filled(units, 1f);

    /// <summary>1/√(σ² + ε) of the last training batch, per unit.</summary>
    public float[] InverseStd { get; } = new float[units];

    /// <summary>ẑ of the last training batch, [batch][units].</summary>
    public float[] Normalized { get; set; } = Array.Empty<float>();

    /// <summary>Where γ's and β's batch gradients go before the optimizer reads them (a one-row "delta").</summary>
    public DeviceTensor GammaGradient { get; } = gammaGradient;

    public DeviceTensor BetaGradient { get; } = betaGradient;

    private static float[] Filled(int count, float value)
    {
        var a = new float[count];
        Array.Fill(a, value);
        return a;
    }
}

/// <summary>The per-unit tensors of a layer that checkpoints and snapshots move (parts of the bias family).</summary>
internal enum UnitTensor
{
    /// <summary>The layer's bias.</summary>
    Bias,

    /// <summary>Batch norm γ (<c>bn.weight</c>).</summary>
    NormWeight,

    /// <summary>Batch norm β (<c>bn.bias</c>).</summary>
    NormBias,

    /// <summary>Batch norm running mean (no optimizer state).</summary>
    RunningMean,

    /// <summary>Batch norm running variance (no optimizer state).</summary>
    RunningVar,
}
