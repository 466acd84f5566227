using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardSchedule
{
    private LayerBatchNorm?[] _batchNorms = Array.Empty<LayerBatchNorm?>();  // [layer], null without batch_norm
    private DeviceTensor? _zeroBias;                                         // the epilogue's bias after a normalisation (added before it)

    /// <summary>γ = 1, β = 0 and the running statistics (0, 1) of every batch-normed layer's units on this shard.</summary>
    private void CreateBatchNorms(int stateCount)
    {
        var layers = _plan.Spec.Layers;
        _batchNorms = layers.Select((l, i) => l.BatchNorm is null ? null : CreateBatchNorm(_ranges[i].Count, stateCount)).ToArray();
        if (_batchNorms.Any(b => b is not null)) _zeroBias = _device.Allocate(layers.Max(l => l.Width));
    }

    private LayerBatchNorm CreateBatchNorm(int n, int stateCount)
    {
        var gamma = Parameters(n, stateCount);
        var beta = Parameters(n, stateCount);
        var ones = new float[n];
        Array.Fill(ones, 1f);
        _device.Upload(ones, gamma.Values, 0);
        var runningVar = _device.Allocate(n);
        _device.Upload(ones, runningVar, 0);
        var tensors = new BatchNormTensors(gamma.Values, beta.Values, _device.Allocate(n), runningVar, _device.Allocate(0), _device.Allocate(n), _device.Allocate(n), _device.Allocate(n));
        return new LayerBatchNorm(n, gamma, beta, tensors);
    }

    /// <summary>True when the layer normalises its affine sum before the activation.</summary>
    private bool HasBatchNorm(int layer) => _batchNorms.Length > layer && _batchNorms[layer] is not null;

    /// <summary>
    /// z (the products, without the bias) → γ ẑ + β, normalised with the batch's statistics when training (which also
    /// moves the running statistics) or the running ones; then the layer's epilogue applies the activation and dropout
    /// mask with a zero bias. The layer's units are this shard's, over the whole batch: no communication.
    /// </summary>
    private void BatchNormForward(int layer, DeviceTensor z, int batch, int n, bool training, LayerEpilogue epilogue)
    {
        var bn = _batchNorms[layer]!;
        var settings = _plan.Layer(layer).BatchNorm!;
        if (training && bn.Tensors.Normalized.Length < (long)batch * n) bn.Tensors = bn.Tensors with { Normalized = _device.Allocate((long)_capacity * n) };
        _device.BatchNormForward(z, batch, n, _biases[layer]!.Values, bn.Tensors, settings.Momentum, settings.Epsilon, training);
        _device.Epilogue(layer, z, batch, n, epilogue with { Bias = _zeroBias! });
    }

    /// <summary>
    /// δy (the delta after the activation derivative and dropout) → δz through the normalisation, and γ and β
    /// updated by the network's optimizer from their batch gradients (with the biases' context: no weight decay).
    /// </summary>
    private void BatchNormBackward(int layer, DeviceTensor delta, int batch, int n, UpdateContext context)
    {
        var bn = _batchNorms[layer]!;
        _device.BatchNormBackward(delta, batch, n, bn.Tensors);
        // One row each: the optimizer's "column sums" are the gradients themselves.
        _device.UpdateBias(bn.Tensors.GammaGradient, 1, n, bn.Gamma, context);
        _device.UpdateBias(bn.Tensors.BetaGradient, 1, n, bn.Beta, context);
    }

    /// <summary>Copies this shard's slice of a layer's per-unit tensor (a parameter part; running statistics have part 0 only).</summary>
    public void ReadUnits(int layer, UnitTensor tensor, int part, Span<float> destination) => Read(Units(layer, tensor), part, destination);

    /// <summary>Writes this shard's slice of a layer's per-unit tensor.</summary>
    public void WriteUnits(int layer, UnitTensor tensor, int part, ReadOnlySpan<float> source) => Write(Units(layer, tensor), part, source);

    /// <summary>The tensor with its optimizer state; the running statistics keep none.</summary>
    private ParameterTensors Units(int layer, UnitTensor tensor) => tensor switch
    {
        UnitTensor.Bias => _biases[layer]!.Parameters,
        UnitTensor.NormWeight => Norm(layer).Gamma,
        UnitTensor.NormBias => Norm(layer).Beta,
        UnitTensor.RunningMean => new ParameterTensors(Norm(layer).Tensors.RunningMean, null, null),
        _ => new ParameterTensors(Norm(layer).Tensors.RunningVar, null, null),
    };

    private LayerBatchNorm Norm(int layer) => (HasBatchNorm(layer) ? _batchNorms[layer] : null)
        ?? throw new ArgumentException($"Layer '{_plan.Layer(layer).Name}' has no batch_norm.", nameof(layer));
}
