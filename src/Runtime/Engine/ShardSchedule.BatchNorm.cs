using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardSchedule
{
    private LayerBatchNorm?[] _batchNorms = Array.Empty<LayerBatchNorm?>();  // [layer], null without batch_norm
    private DeviceTensor? _zeroBias;                                         // the epilogue's bias after a normalisation (it was added before)
    private float[] _normStaging = Array.Empty<float>();
    private float[] _gammaStaging = Array.Empty<float>();
    private float[] _betaStaging = Array.Empty<float>();
    private float[] _biasStaging = Array.Empty<float>();
    private float[] _gradientStaging = Array.Empty<float>();

    /// <summary>γ = 1, β = 0 and the running statistics (0, 1) of every batch-normed layer's units on this shard.</summary>
    private void CreateBatchNorms(int stateCount)
    {
        var layers = _plan.Spec.Layers;
        _batchNorms = layers.Select((l, i) => l.BatchNorm is null ? null : new LayerBatchNorm(
            _ranges[i].Count, Parameters(_ranges[i].Count, stateCount), Parameters(_ranges[i].Count, stateCount),
            _device.Allocate(_ranges[i].Count), _device.Allocate(_ranges[i].Count))).ToArray();
        foreach (var bn in _batchNorms)
        {
            if (bn is null) continue;
            var ones = new float[bn.Units];
            Array.Fill(ones, 1f);
            _device.Upload(ones, bn.Gamma.Values, 0);
        }
        if (_batchNorms.Any(b => b is not null)) _zeroBias = _device.Allocate(layers.Max(l => l.Width));
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
        var values = ReadOnHost(z, batch * n, ref _normStaging);
        var bias = ReadOnHost(_biases[layer]!.Values, n, ref _biasStaging);
        var gamma = ReadOnHost(bn.Gamma.Values, n, ref _gammaStaging);
        var beta = ReadOnHost(bn.Beta.Values, n, ref _betaStaging);
        if (training)
        {
            if (bn.Normalized.Length < batch * n) bn.Normalized = new float[_capacity * n];
            BatchNormPass.Train(values, batch, n, bias, gamma, beta, settings.Momentum, settings.Epsilon,
                bn.RunningMean, bn.RunningVar, bn.Normalized, bn.InverseStd);
        }
        else
        {
            BatchNormPass.Infer(values, batch, n, bias, gamma, beta, settings.Epsilon, bn.RunningMean, bn.RunningVar);
        }
        FinishWrite(z, values);
        _device.Epilogue(layer, z, batch, n, epilogue with { Bias = _zeroBias! });
    }

    /// <summary>
    /// δy (the delta after the activation derivative and dropout) → δz through the normalisation, and γ and β
    /// updated by the network's optimizer from their batch gradients (with the biases' context: no weight decay).
    /// </summary>
    private void BatchNormBackward(int layer, DeviceTensor delta, int batch, int n, UpdateContext context)
    {
        var bn = _batchNorms[layer]!;
        var d = ReadOnHost(delta, batch * n, ref _normStaging);
        var gamma = ReadOnHost(bn.Gamma.Values, n, ref _gammaStaging);
        if (_gradientStaging.Length < 2 * n) _gradientStaging = new float[2 * n];
        var gammaGradient = _gradientStaging.AsSpan(0, n);
        var betaGradient = _gradientStaging.AsSpan(n, n);
        BatchNormPass.Backward(d, batch, n, bn.Normalized, gamma, bn.InverseStd, gammaGradient, betaGradient);
        FinishWrite(delta, d);
        _device.Upload(gammaGradient, bn.GammaGradient, 0);
        _device.Upload(betaGradient, bn.BetaGradient, 0);
        // One row each: the optimizer's "column sums" are the gradients themselves.
        _device.UpdateBias(bn.GammaGradient, 1, n, bn.Gamma, context);
        _device.UpdateBias(bn.BetaGradient, 1, n, bn.Beta, context);
    }

    /// <summary>Copies this shard's slice of a layer's per-unit tensor (a parameter part; running statistics have part 0 only).</summary>
    public void ReadUnits(int layer, UnitTensor tensor, int part, Span<float> destination)
    {
        switch (tensor)
        {
            case UnitTensor.Bias: Read(_biases[layer]!.Parameters, part, destination); break;
            case UnitTensor.NormWeight: Read(Norm(layer).Gamma, part, destination); break;
            case UnitTensor.NormBias: Read(Norm(layer).Beta, part, destination); break;
            case UnitTensor.RunningMean: if (part == 0) Norm(layer).RunningMean.AsSpan(0, Math.Min(destination.Length, Norm(layer).Units)).CopyTo(destination); break;
            default: if (part == 0) Norm(layer).RunningVar.AsSpan(0, Math.Min(destination.Length, Norm(layer).Units)).CopyTo(destination); break;
        }
    }

    /// <summary>Writes this shard's slice of a layer's per-unit tensor.</summary>
    public void WriteUnits(int layer, UnitTensor tensor, int part, ReadOnlySpan<float> source)
    {
        switch (tensor)
        {
            case UnitTensor.Bias: Write(_biases[layer]!.Parameters, part, source); break;
            case UnitTensor.NormWeight: Write(Norm(layer).Gamma, part, source); break;
            case UnitTensor.NormBias: Write(Norm(layer).Beta, part, source); break;
            case UnitTensor.RunningMean: WriteStatistic(Norm(layer).RunningMean, part, source); break;
            default: WriteStatistic(Norm(layer).RunningVar, part, source); break;
        }
    }

    private LayerBatchNorm Norm(int layer) => (HasBatchNorm(layer) ? _batchNorms[layer] : null)
        ?? throw new ArgumentException($"Layer '{_plan.Layer(layer).Name}' has no batch_norm.", nameof(layer));

    private static void WriteStatistic(float[] target, int part, ReadOnlySpan<float> source)
    {
        if (part != 0)
        {
            if (!source.IsEmpty) throw new ArgumentException("Running statistics have no optimizer state.", nameof(source));
            return;
        }
        source[..Math.Min(source.Length, target.Length)].CopyTo(target);
    }
}
