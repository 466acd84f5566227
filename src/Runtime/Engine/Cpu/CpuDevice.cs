using System.Numerics.Tensors;
using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Buffers;
using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Engine.Cpu;

/// <summary>
/// The CPU device: host arrays, the packed GEMM with fused epilogues and update sinks, the sparse gather and
/// transposed product, and the generated ops structs' SIMD loops (<see cref="KernelSet"/>). The schedule reaches
/// its arrays directly (<see cref="TryGetHost"/>), so collectives need no staging copies.
/// </summary>
internal sealed class CpuDevice(KernelSet kernels) : IShardDevice
{
    private float[] _biasGradient = Array.Empty<float>();
    private double[] _rowLoss = Array.Empty<double>();

    // Per layer: the loss chunks the output product's epilogue summed, and for which output they hold (read once by
    // OutputLoss; forgotten when anything rewrites that output). The GPU device keeps its fused loss the same way.
    private LossPartials?[] _partials = Array.Empty<LossPartials?>();
    private readonly FusedLossLedger _fusedLosses = new();

    public string Name => "cpu";

    // Large buffers (weights, optimizer state, wide activations) on transparent huge pages where granted.
    public DeviceTensor Allocate(long length) => new CpuTensor(length == 0 ? Array.Empty<float>() : HugePages.AllocateFloats(length));

    public DeviceSparse AllocateSparse() => new CpuSparse();

    public void LoadSparse(DeviceSparse target, SparseBatch batch, bool forUpdate) => ((CpuSparse)target).Batch = batch;

    public bool TryGetHost(DeviceTensor tensor, out float[] array)
    {
        array = A(tensor);
        return true;
    }

    public void Download(DeviceTensor source, long offset, Span<float> destination) => A(source).AsSpan((int)offset, destination.Length).CopyTo(destination);

    public void Upload(ReadOnlySpan<float> source, DeviceTensor destination, long offset)
    {
        Forget(destination);
        source.CopyTo(A(destination).AsSpan((int)offset));
    }

    public void AddFromHost(ReadOnlySpan<float> source, DeviceTensor destination, long offset)
    {
        Forget(destination);
        var d = A(destination).AsSpan((int)offset, source.Length);
        TensorPrimitives.Add(d, source, d);
    }

    public void Clear(DeviceTensor tensor, long offset, long count)
    {
        Forget(tensor);
        Array.Clear(A(tensor), (int)offset, (int)count);
    }

    public void ApplyMask(DeviceTensor values, int rows, int n, DropoutMask mask)
    {
        Forget(values);
        var v = A(values);
        for (var b = 0; b < rows; b++) mask.Apply(v.AsSpan(b * n, n), b, 0);
    }

    public bool SparseProduct(int layer, DeviceSparse x, int rows, DeviceTensor w, int wColumn, int ldw, int n, bool accumulate, DeviceTensor z, long zOffset, LayerEpilogue? epilogue)
    {
        Forget(z);
        var s = ((CpuSparse)x).Batch;
        SparseKernels.GatherRows(rows, s.Offsets, s.Columns, s.Values, A(w).AsSpan(wColumn), ldw, n, accumulate, A(z).AsSpan((int)zOffset), n);
        return false;
    }

    public void Multiply(bool transposeA, bool transposeB, int m, int n, int k, DeviceTensor a, long aOffset, int lda, DeviceTensor b, long bOffset, int ldb, bool accumulate, DeviceTensor c, long cOffset, int ldc)
    {
        Forget(c);
        Gemm.Multiply(transposeA, transposeB, m, n, k, A(a).AsSpan((int)aOffset), lda, A(b).AsSpan((int)bOffset), ldb, accumulate, A(c).AsSpan((int)cOffset), ldc);
    }

    public void ForwardProduct(int layer, DeviceTensor a, int lda, DeviceTensor w, int ldw, int rows, int n, int k, bool accumulate, DeviceTensor z, LayerEpilogue epilogue, OutputDeltaRequest? delta)
    {
        Forget(z);
        var targets = delta is null ? null : Targets(delta.Targets);
        var partials = targets is not null && CpuPaths.FusedOutputLoss ? PreparePartials(layer, z, rows, n, targets.IsSparse ? targets.Offsets[rows] : 0, delta!.Loss) : null;
        var fused = delta is null ? null : new LayerKernels.FusedDelta(A(delta.Delta), targets!, delta.Loss, partials);
        Layer(layer).ForwardProduct(A(a), lda, A(w), 0, ldw, rows, n, k, accumulate, A(z), A(epilogue.Bias), epilogue.Mask, fused);
    }

    public void Epilogue(int layer, DeviceTensor z, int rows, int n, LayerEpilogue epilogue)
    {
        Forget(z);
        Layer(layer).Forward(A(z), rows, n, A(epilogue.Bias), epilogue.Mask);
    }

    public void OutputDelta(int layer, DeviceTensor output, DeviceTensor delta, int rows, int n, DeviceTargets targets, LossParameters loss)
        => Output(layer).Delta(A(output), A(delta), rows, n, Targets(targets), loss);

    public double OutputLoss(int layer, DeviceTensor output, int rows, int n, DeviceTargets targets, LossParameters loss)
    {
        if (_rowLoss.Length < rows) _rowLoss = new double[rows];
        Output(layer).Loss(A(output), rows, n, Targets(targets), loss, _rowLoss, TakePartials(layer, output, rows, n, loss));
        var total = 0.0;
        for (var b = 0; b < rows; b++) total += _rowLoss[b];
        return total;
    }

    public void HiddenBackward(int layer, DeviceTensor delta, DeviceTensor output, int rows, int n, DeviceTensor? penalty, DropoutMask mask)
        => ((HiddenKernels)Layer(layer)).Backward(A(delta), A(output), rows, n, penalty is null ? null : A(penalty), mask);

    public void BatchNormForward(DeviceTensor z, int rows, int n, DeviceTensor bias, BatchNormTensors bn, float momentum, float epsilon, bool training)
    {
        var values = A(z).AsSpan(0, rows * n);
        if (training)
        {
            BatchNormPass.Train(values, rows, n, V(bias, n), V(bn.Gamma, n), V(bn.Beta, n), momentum, epsilon,
                A(bn.RunningMean).AsSpan(0, n), A(bn.RunningVar).AsSpan(0, n), A(bn.Normalized).AsSpan(0, rows * n), A(bn.InverseStd).AsSpan(0, n));
        }
        else
        {
            BatchNormPass.Infer(values, rows, n, V(bias, n), V(bn.Gamma, n), V(bn.Beta, n), epsilon, V(bn.RunningMean, n), V(bn.RunningVar, n));
        }
    }

    public void BatchNormBackward(DeviceTensor delta, int rows, int n, BatchNormTensors bn)
        => BatchNormPass.Backward(A(delta).AsSpan(0, rows * n), rows, n, V(bn.Normalized, rows * n), V(bn.Gamma, n), V(bn.InverseStd, n),
            A(bn.GammaGradient).AsSpan(0, n), A(bn.BetaGradient).AsSpan(0, n));

    private static ReadOnlySpan<float> V(DeviceTensor t, int count) => A(t).AsSpan(0, count);

    public void SparsenessPenalty(DeviceTensor output, int rows, int n, float p, float beta, DeviceTensor penalty)
    {
        var a = A(output);
        var pen = A(penalty);
        for (var j = 0; j < n; j++)
        {
            double sum = 0;
            for (var b = 0; b < rows; b++) sum += a[(b * n) + j];
            var rho = Math.Clamp(sum / rows, 1e-6, 1 - 1e-6);
            pen[j] = (float)(beta * ((-p / rho) + ((1 - p) / (1 - rho))));
        }
    }

    public void RowMax(DeviceTensor z, int rows, int n, Span<float> max)
    {
        var v = A(z);
        for (var b = 0; b < rows; b++)
        {
            var m = float.NegativeInfinity;
            foreach (var x in v.AsSpan(b * n, n)) m = MathF.Max(m, x);
            max[b] = m;
        }
    }

    public void ExpRowSums(DeviceTensor z, int rows, int n, ReadOnlySpan<float> max, Span<double> sums)
    {
        Forget(z);
        var v = A(z);
        for (var b = 0; b < rows; b++)
        {
            var row = v.AsSpan(b * n, n);
            double s = 0;
            for (var j = 0; j < n; j++)
            {
                var e = MathF.Exp(row[j] - max[b]);
                row[j] = e;
                s += e;
            }
            sums[b] = s;
        }
    }

    public void ScaleRows(DeviceTensor z, int rows, int n, ReadOnlySpan<double> sums)
    {
        Forget(z);
        var v = A(z);
        for (var b = 0; b < rows; b++)
        {
            var inv = (float)(1.0 / sums[b]);
            var row = v.AsSpan(b * n, n);
            for (var j = 0; j < n; j++) row[j] *= inv;
        }
    }

    public void RowSums(DeviceTensor u, int rows, int n, Span<double> sums)
    {
        var v = A(u);
        for (var b = 0; b < rows; b++)
        {
            double s = 0;
            foreach (var x in v.AsSpan(b * n, n)) s += x;
            sums[b] = s;
        }
    }

    public void SubtractScaledRows(DeviceTensor u, DeviceTensor a, int rows, int n, ReadOnlySpan<double> sums)
    {
        var uv = A(u);
        var av = A(a);
        for (var b = 0; b < rows; b++)
        {
            var s = (float)sums[b];
            var ur = uv.AsSpan(b * n, n);
            var ar = av.AsSpan(b * n, n);
            for (var j = 0; j < n; j++) ur[j] -= ar[j] * s;
        }
    }

    public void UpdateBias(DeviceTensor delta, int rows, int n, ParameterTensors bias, UpdateContext context)
    {
        if (_biasGradient.Length < n) _biasGradient = new float[n];
        var g = _biasGradient.AsSpan(0, n);
        var d = A(delta);
        d.AsSpan(0, n).CopyTo(g);
        for (var b = 1; b < rows; b++) TensorPrimitives.Add(g, d.AsSpan(b * n, n), g);
        kernels.Update.Update(A(bias.Values), g, State(bias.State1), State(bias.State2), context);
    }

    public void UpdateFromProduct(int m, int n, int k, DeviceTensor a, int lda, DeviceTensor delta, int ldd, ParameterTensors w, UpdateContext context)
        => kernels.Update.UpdateFromProduct(true, false, m, n, k, A(a), lda, A(delta), ldd, A(w.Values), State(w.State1), State(w.State2), n, context);

    public void UpdateFromGradient(DeviceTensor gradient, long count, ParameterTensors w, UpdateContext context)
    {
        var n = checked((int)count);
        kernels.Update.Update(A(w.Values).AsSpan(0, n), A(gradient).AsSpan(0, n), StateSpan(w.State1, n), StateSpan(w.State2, n), context);
    }

    private static Span<float> StateSpan(DeviceTensor? t, int n) => t is null ? Span<float>.Empty : A(t).AsSpan(0, n);

    public void UpdateFromSparse(DeviceSparse x, int rows, int wRows, DeviceTensor delta, int ldd, int n, ParameterTensors w, UpdateContext context)
    {
        var s = ((CpuSparse)x).Batch;
        kernels.Update.UpdateFromSparse(rows, s.Offsets, s.Columns, s.Values, wRows, A(delta), ldd, n, A(w.Values), State(w.State1), State(w.State2), context);
    }

    public void ColumnSquareNorms(DeviceTensor w, int rows, int columns, Span<float> norms)
    {
        var v = A(w);
        norms.Clear();
        for (var r = 0; r < rows; r++)
        {
            var row = v.AsSpan(r * columns, columns);
            for (var j = 0; j < columns; j++) norms[j] += row[j] * row[j];
        }
    }

    public void ScaleColumns(DeviceTensor w, int rows, int columns, ReadOnlySpan<float> factors)
    {
        Forget(w);
        var v = A(w);
        for (var r = 0; r < rows; r++) TensorPrimitives.Multiply(v.AsSpan(r * columns, columns), factors, v.AsSpan(r * columns, columns));
    }

    public void SelectTopK(DeviceTensor scores, int rows, int n, int k, SparseBatch? exclude, Span<int> indices, Span<float> values, Span<int> counts)
    {
        var a = A(scores);
        for (var b = 0; b < rows; b++)
        {
            var excluded = exclude is null ? ReadOnlySpan<int>.Empty : exclude.Columns.AsSpan(exclude.Offsets[b], exclude.Offsets[b + 1] - exclude.Offsets[b]);
            counts[b] = TopK.Select(a.AsSpan(b * n, n), k, excluded, indices.Slice(b * k, k), values.Slice(b * k, k));
        }
    }

    public bool AnyNonFinite(DeviceTensor tensor, long count)
    {
        foreach (var v in A(tensor).AsSpan(0, (int)count))
        {
            if (!float.IsFinite(v)) return true;
        }
        return false;
    }

    public void Dispose()
    {
    }

    private LossPartials PreparePartials(int layer, DeviceTensor output, int rows, int n, int nonZeros, LossParameters loss)
    {
        if (_partials.Length <= layer) Array.Resize(ref _partials, layer + 1);
        var partials = _partials[layer] ??= new LossPartials();
        partials.Prepare(rows, n, nonZeros);
        _fusedLosses.Record(layer, output, rows, n, loss);
        return partials;
    }

    /// <summary>The partial sums the epilogue left for exactly this output, rows, width and loss (once), else null.</summary>
    private LossPartials? TakePartials(int layer, DeviceTensor output, int rows, int n, LossParameters loss)
        => _fusedLosses.TryTake(layer, output, rows, n, loss) ? _partials[layer] : null;

    /// <summary>Forgets partial sums of <paramref name="tensor"/>: it is about to be rewritten.</summary>
    private void Forget(DeviceTensor tensor) => _fusedLosses.ForgetOutput(tensor);

    private LayerKernels Layer(int layer) => kernels.Layers[layer]!;

    private OutputKernels Output(int layer) => (OutputKernels)kernels.Layers[layer]!;

    private static float[] A(DeviceTensor t) => ((CpuTensor)t).Data;

    private static float[] State(DeviceTensor? t) => t is null ? Array.Empty<float>() : A(t);

    private static BatchTargets Targets(DeviceTargets t) => (t.Sparse is { } s
        ? BatchTargets.Sparse(((CpuSparse)s).Batch.Offsets, ((CpuSparse)s).Batch.Columns, ((CpuSparse)s).Batch.Values)
        : BatchTargets.FromDense(A(t.Dense!), t.Ld)).WithWeights(t.Weights is null ? null : A(t.Weights));
}
