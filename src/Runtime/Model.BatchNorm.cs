using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime;

/// <summary>A layer's batch normalisation as PyTorch's <c>nn.BatchNorm1d</c> holds it (one value per unit).</summary>
/// <param name="Weight">γ.</param>
/// <param name="Bias">β.</param>
/// <param name="RunningMean">The running mean inference normalises with.</param>
/// <param name="RunningVar">The running (unbiased) variance inference normalises with.</param>
public sealed record BatchNormState(float[] Weight, float[] Bias, float[] RunningMean, float[] RunningVar);

public abstract partial class Model
{
    /// <summary>
    /// The batch normalisation of hidden layer <paramref name="layer"/> (declared with <c>batch_norm</c>): γ, β and
    /// the running statistics, all units (collective under MPI, like <see cref="GetBias"/>).
    /// </summary>
    public BatchNormState GetBatchNorm(string layer)
    {
        var index = BatchNormLayer(layer);
        return new BatchNormState(
            ParameterTransfer.GatherBias(_engines, index, 0, UnitTensor.NormWeight),
            ParameterTransfer.GatherBias(_engines, index, 0, UnitTensor.NormBias),
            ParameterTransfer.GatherBias(_engines, index, 0, UnitTensor.RunningMean),
            ParameterTransfer.GatherBias(_engines, index, 0, UnitTensor.RunningVar));
    }

    /// <summary>
    /// Replaces the batch normalisation of hidden layer <paramref name="layer"/> (every array one value per unit);
    /// the optimizer state of γ and β is kept.
    /// </summary>
    public void SetBatchNorm(string layer, BatchNormState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var index = BatchNormLayer(layer);
        var width = Spec.Layers[index].Width;
        foreach (var (name, values) in new[] { ("Weight", state.Weight), ("Bias", state.Bias), ("RunningMean", state.RunningMean), ("RunningVar", state.RunningVar) })
        {
            if (values is null || values.Length != width)
                throw new ArgumentException($"{name} of layer '{layer}' needs {width} values (one per unit), got {values?.Length.ToString() ?? "null"}.", nameof(state));
        }
        ParameterTransfer.ScatterBias(_engines, index, state.Weight, 0, UnitTensor.NormWeight);
        ParameterTransfer.ScatterBias(_engines, index, state.Bias, 0, UnitTensor.NormBias);
        ParameterTransfer.ScatterBias(_engines, index, state.RunningMean, 0, UnitTensor.RunningMean);
        ParameterTransfer.ScatterBias(_engines, index, state.RunningVar, 0, UnitTensor.RunningVar);
    }

    private int BatchNormLayer(string layer)
    {
        ThrowIfDisposed();
        var index = Spec.IndexOf(layer);
        if (index < 0 || Spec.Layers[index].Kind != LayerKind.Hidden || Spec.Layers[index].BatchNorm is null)
            throw new ArgumentException($"'{layer}' is not a hidden layer of '{Spec.Name}' with batch_norm.", nameof(layer));
        return index;
    }
}
