using DestinyDsl.Runtime.Engine.Devices;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// One shard's slice of a hidden layer's batch normalisation, on its device: γ and β with their optimizer state (the
/// optimizer updates them like biases), the running statistics, what the last training forward kept for the
/// backward pass, and where the backward pass leaves γ's and β's gradients. Per unit, so a shard holds exactly its
/// own units' share and the statistics need no communication.
/// </summary>
internal sealed class LayerBatchNorm(int units, ParameterTensors gamma, ParameterTensors beta, BatchNormTensors tensors)
{
    public int Units { get; } = units;

    /// <summary>γ (PyTorch's <c>weight</c>, initially 1) with its optimizer state.</summary>
    public ParameterTensors Gamma { get; } = gamma;

    /// <summary>β (PyTorch's <c>bias</c>, initially 0) with its optimizer state.</summary>
    public ParameterTensors Beta { get; } = beta;

    /// <summary>What the device's batch-norm passes read and write; <see cref="BatchNormTensors.Normalized"/> grows with the batch.</summary>
    public BatchNormTensors Tensors { get; set; } = tensors;
}

/// <summary>The per-unit tensors of a layer that checkpoints and snapshots move (the bias family).</summary>
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
