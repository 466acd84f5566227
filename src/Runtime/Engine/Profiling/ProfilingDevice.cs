using System.Diagnostics;
using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Engine.Profiling;

/// <summary>
/// A device that forwards every call to another and records its wall time in a <see cref="DeviceProfile"/> under a
/// phase name made of the operation and the layer (or the product's shape). Results are the inner device's, bit
/// for bit: the decorator only reads the clock.
/// </summary>
internal sealed class ProfilingDevice(IShardDevice inner, DeviceProfile profile, Specs.NetworkSpec spec) : IShardDevice
{
    public string Name => inner.Name;

    private string Layer(int layer) => layer >= 0 && layer < spec.Layers.Count ? spec.Layers[layer].Name : $"layer {layer}";

    private static string Shape(int m, int n, int k) => $"{m}×{n} (k {k})";

    // Allocation, host access and copies are bookkeeping or data movement that the schedule asks for; the copies
    // are recorded (host staging is a real cost on a GPU), the rest is not.
    public DeviceTensor Allocate(long length) => inner.Allocate(length);

    public DeviceSparse AllocateSparse() => inner.AllocateSparse();

    public bool TryGetHost(DeviceTensor tensor, out float[] array) => inner.TryGetHost(tensor, out array);

    public void Dispose() => inner.Dispose();

    public void LoadSparse(DeviceSparse target, SparseBatch batch, bool forUpdate)
    {
        var start = Stopwatch.GetTimestamp();
        inner.LoadSparse(target, batch, forUpdate);
        profile.Record("sparse batch load", start, 0);
    }

    public void Download(DeviceTensor source, long offset, Span<float> destination)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Download(source, offset, destination);
        profile.Record("copy to host", start, 0);
    }

    public void Upload(ReadOnlySpan<float> source, DeviceTensor destination, long offset)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Upload(source, destination, offset);
        profile.Record("copy from host", start, 0);
    }

    public void AddFromHost(ReadOnlySpan<float> source, DeviceTensor destination, long offset)
    {
        var start = Stopwatch.GetTimestamp();
        inner.AddFromHost(source, destination, offset);
        profile.Record("add from host", start, 0);
    }

    public void Clear(DeviceTensor tensor, long offset, long count)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Clear(tensor, offset, count);
        profile.Record("clear", start, 0);
    }

    public void ApplyMask(DeviceTensor values, int rows, int n, DropoutMask mask)
    {
        var start = Stopwatch.GetTimestamp();
        inner.ApplyMask(values, rows, n, mask);
        profile.Record("input dropout", start, 0);
    }

    public bool SparseProduct(int layer, DeviceSparse x, int rows, DeviceTensor w, int wColumn, int ldw, int n, bool accumulate, DeviceTensor z, long zOffset, LayerEpilogue? epilogue)
    {
        var start = Stopwatch.GetTimestamp();
        var fused = inner.SparseProduct(layer, x, rows, w, wColumn, ldw, n, accumulate, z, zOffset, epilogue);
        profile.Record(fused ? $"sparse gather + epilogue · {Layer(layer)}" : $"sparse gather · {Layer(layer)}", start, 0);
        return fused;
    }

    public void Multiply(bool transposeA, bool transposeB, int m, int n, int k, DeviceTensor a, long aOffset, int lda, DeviceTensor b, long bOffset, int ldb, bool accumulate, DeviceTensor c, long cOffset, int ldc)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Multiply(transposeA, transposeB, m, n, k, a, aOffset, lda, b, bOffset, ldb, accumulate, c, cOffset, ldc);
        profile.Record($"product {(transposeA ? "Aᵀ" : "A")}·{(transposeB ? "Bᵀ" : "B")} {Shape(m, n, k)}", start, 2.0 * m * n * k);
    }

    public void ForwardProduct(int layer, DeviceTensor a, int lda, DeviceTensor w, int ldw, int rows, int n, int k, bool accumulate, DeviceTensor z, LayerEpilogue epilogue, OutputDeltaRequest? delta)
    {
        var start = Stopwatch.GetTimestamp();
        inner.ForwardProduct(layer, a, lda, w, ldw, rows, n, k, accumulate, z, epilogue, delta);
        profile.Record($"forward product + epilogue{(delta is null ? "" : " + loss delta")} · {Layer(layer)}", start, 2.0 * rows * n * k);
    }

    public void Epilogue(int layer, DeviceTensor z, int rows, int n, LayerEpilogue epilogue)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Epilogue(layer, z, rows, n, epilogue);
        profile.Record($"epilogue · {Layer(layer)}", start, 0);
    }

    public void OutputDelta(int layer, DeviceTensor output, DeviceTensor delta, int rows, int n, DeviceTargets targets, LossParameters loss)
    {
        var start = Stopwatch.GetTimestamp();
        inner.OutputDelta(layer, output, delta, rows, n, targets, loss);
        profile.Record($"loss delta · {Layer(layer)}", start, 0);
    }

    public double OutputLoss(int layer, DeviceTensor output, int rows, int n, DeviceTargets targets, LossParameters loss)
    {
        var start = Stopwatch.GetTimestamp();
        var value = inner.OutputLoss(layer, output, rows, n, targets, loss);
        profile.Record($"loss · {Layer(layer)}", start, 0);
        return value;
    }

    public void HiddenBackward(int layer, DeviceTensor delta, DeviceTensor output, int rows, int n, DeviceTensor? penalty, DropoutMask mask)
    {
        var start = Stopwatch.GetTimestamp();
        inner.HiddenBackward(layer, delta, output, rows, n, penalty, mask);
        profile.Record($"hidden backward · {Layer(layer)}", start, 0);
    }

    public void BatchNormForward(DeviceTensor z, int rows, int n, DeviceTensor bias, BatchNormTensors bn, float momentum, float epsilon, bool training)
    {
        var start = Stopwatch.GetTimestamp();
        inner.BatchNormForward(z, rows, n, bias, bn, momentum, epsilon, training);
        profile.Record("batch norm", start, 0);
    }

    public void BatchNormBackward(DeviceTensor delta, int rows, int n, BatchNormTensors bn)
    {
        var start = Stopwatch.GetTimestamp();
        inner.BatchNormBackward(delta, rows, n, bn);
        profile.Record("batch norm backward", start, 0);
    }

    public void SparsenessPenalty(DeviceTensor output, int rows, int n, float p, float beta, DeviceTensor penalty)
    {
        var start = Stopwatch.GetTimestamp();
        inner.SparsenessPenalty(output, rows, n, p, beta, penalty);
        profile.Record("sparseness penalty", start, 0);
    }

    public void RowMax(DeviceTensor z, int rows, int n, Span<float> max)
    {
        var start = Stopwatch.GetTimestamp();
        inner.RowMax(z, rows, n, max);
        profile.Record("softmax row statistics", start, 0);
    }

    public void ExpRowSums(DeviceTensor z, int rows, int n, ReadOnlySpan<float> max, Span<double> sums)
    {
        var start = Stopwatch.GetTimestamp();
        inner.ExpRowSums(z, rows, n, max, sums);
        profile.Record("softmax row statistics", start, 0);
    }

    public void ScaleRows(DeviceTensor z, int rows, int n, ReadOnlySpan<double> sums)
    {
        var start = Stopwatch.GetTimestamp();
        inner.ScaleRows(z, rows, n, sums);
        profile.Record("softmax row statistics", start, 0);
    }

    public void RowSums(DeviceTensor u, int rows, int n, Span<double> sums)
    {
        var start = Stopwatch.GetTimestamp();
        inner.RowSums(u, rows, n, sums);
        profile.Record("softmax backward", start, 0);
    }

    public void SubtractScaledRows(DeviceTensor u, DeviceTensor a, int rows, int n, ReadOnlySpan<double> sums)
    {
        var start = Stopwatch.GetTimestamp();
        inner.SubtractScaledRows(u, a, rows, n, sums);
        profile.Record("softmax backward", start, 0);
    }

    public void UpdateBias(DeviceTensor delta, int rows, int n, ParameterTensors bias, UpdateContext context)
    {
        var start = Stopwatch.GetTimestamp();
        inner.UpdateBias(delta, rows, n, bias, context);
        profile.Record("bias gradient + update", start, 0);
    }

    public void UpdateFromGradient(DeviceTensor gradient, long count, ParameterTensors w, UpdateContext context)
    {
        var start = Stopwatch.GetTimestamp();
        inner.UpdateFromGradient(gradient, count, w, context);
        profile.Record("tied weight update", start, 0);
    }

    public void UpdateFromProduct(int m, int n, int k, DeviceTensor a, int lda, DeviceTensor delta, int ldd, ParameterTensors w, UpdateContext context)
    {
        var start = Stopwatch.GetTimestamp();
        inner.UpdateFromProduct(m, n, k, a, lda, delta, ldd, w, context);
        profile.Record($"weight gradient + update {Shape(m, n, k)}", start, 2.0 * m * n * k);
    }

    public void UpdateFromSparse(DeviceSparse x, int rows, int wRows, DeviceTensor delta, int ldd, int n, ParameterTensors w, UpdateContext context)
    {
        var start = Stopwatch.GetTimestamp();
        inner.UpdateFromSparse(x, rows, wRows, delta, ldd, n, w, context);
        profile.Record("sparse weight gradient + update", start, 0);
    }

    public void ColumnSquareNorms(DeviceTensor w, int rows, int columns, Span<float> norms)
    {
        var start = Stopwatch.GetTimestamp();
        inner.ColumnSquareNorms(w, rows, columns, norms);
        profile.Record("max-norm", start, 0);
    }

    public void ScaleColumns(DeviceTensor w, int rows, int columns, ReadOnlySpan<float> factors)
    {
        var start = Stopwatch.GetTimestamp();
        inner.ScaleColumns(w, rows, columns, factors);
        profile.Record("max-norm", start, 0);
    }

    public void SelectTopK(DeviceTensor scores, int rows, int n, int k, SparseBatch? exclude, Span<int> indices, Span<float> values, Span<int> counts)
    {
        var start = Stopwatch.GetTimestamp();
        inner.SelectTopK(scores, rows, n, k, exclude, indices, values, counts);
        profile.Record("top-k", start, 0);
    }

    public bool AnyNonFinite(DeviceTensor tensor, long count)
    {
        var start = Stopwatch.GetTimestamp();
        var any = inner.AnyNonFinite(tensor, count);
        profile.Record("divergence check", start, 0);
        return any;
    }
}

/// <summary>Wraps each device another factory makes in a <see cref="ProfilingDevice"/>.</summary>
internal sealed class ProfilingDeviceFactory(IDeviceFactory inner, DeviceProfile profile) : IDeviceFactory
{
    public IShardDevice Create(int shard, int localIndex, ModelDeviceRequest request)
        => new ProfilingDevice(inner.Create(shard, localIndex, request), profile, request.Spec);
}
