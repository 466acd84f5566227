using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Engine.Cpu;
using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Distributed.Worker.Scenarios;

/// <summary>
/// What an injected fault does: throw out of the device, or write a NaN into the layer's output, at the chosen forward
/// product; or throw at the chosen copy from the device (<c>Download</c>: what reading a parameter block for a
/// checkpoint does).
/// </summary>
public enum FaultKind { Throw, Poison, ThrowOnDownload }

/// <summary>
/// A fault for one shard: at its <paramref name="Call"/>-th forward product into layer <paramref name="Layer"/> (the
/// spec's layer index; for the 3-layer autoencoders the output layer gets one per training step, so Call = the step,
/// 1-based), in the middle of the step: after the forward reduce-scatter, before the all-gather that follows.
/// </summary>
public sealed record ShardFault(int Shard, int Layer, int Call, FaultKind Kind);

/// <summary>
/// The test seam for failures inside a shard: a device group whose shards compute on the CPU, one of them through a
/// device that fails as told. Test code only; the runtime has no hook and pays nothing for it.
/// </summary>
public static class FaultyDevices
{
    /// <summary><paramref name="shards"/> in-process CPU shards, shard <c>fault.Shard</c> faulty.</summary>
    public static DeviceGroup InProcess(int shards, ShardFault fault)
        => DeviceGroup.InProcess(shards, new Factory(fault), $"cpu×{shards}, shard {fault.Shard} faulty");

    /// <summary>The same CPU work on the ranks of an MPI group, rank <c>fault.Shard</c> faulty.</summary>
    public static DeviceGroup OnRanks(DeviceGroup mpi, ShardFault fault)
        => mpi.WithDevices(new Factory(fault), $"{mpi.Description}, rank {fault.Shard} faulty");

    private sealed class Factory(ShardFault fault) : IDeviceFactory
    {
        public IShardDevice Create(int shard, int localIndex, ModelDeviceRequest request)
        {
            var cpu = CpuDeviceFactory.Instance.Create(shard, localIndex, request);
            return shard == fault.Shard ? new FaultyDevice(cpu, fault) : cpu;
        }
    }

    private sealed class FaultyDevice(IShardDevice inner, ShardFault fault) : IShardDevice
    {
        private int _calls;
        private int _downloads;

        public string Name => $"{inner.Name} (faulty)";

        public void ForwardProduct(int layer, DeviceTensor a, int lda, DeviceTensor w, int ldw, int rows, int n, int k, bool accumulate, DeviceTensor z, LayerEpilogue epilogue, OutputDeltaRequest? delta)
        {
            var fire = fault.Kind != FaultKind.ThrowOnDownload && layer == fault.Layer && ++_calls == fault.Call;
            if (fire && fault.Kind == FaultKind.Throw) throw new InvalidOperationException($"injected fault in shard {fault.Shard}'s device at forward product {fault.Call} into layer {layer}");
            inner.ForwardProduct(layer, a, lda, w, ldw, rows, n, k, accumulate, z, epilogue, delta);
            if (fire && n > 0) inner.Upload([float.NaN], z, 0);
        }

        public DeviceTensor Allocate(long length) => inner.Allocate(length);
        public DeviceSparse AllocateSparse() => inner.AllocateSparse();
        public void LoadSparse(DeviceSparse target, SparseBatch batch, bool forUpdate) => inner.LoadSparse(target, batch, forUpdate);
        public bool TryGetHost(DeviceTensor tensor, out float[] array) => inner.TryGetHost(tensor, out array);
        public void Download(DeviceTensor source, long offset, Span<float> destination)
        {
            if (fault.Kind == FaultKind.ThrowOnDownload && ++_downloads == fault.Call)
                throw new IOException($"injected fault in shard {fault.Shard}'s device at download {fault.Call}");
            inner.Download(source, offset, destination);
        }
        public void Upload(ReadOnlySpan<float> source, DeviceTensor destination, long offset) => inner.Upload(source, destination, offset);
        public void AddFromHost(ReadOnlySpan<float> source, DeviceTensor destination, long offset) => inner.AddFromHost(source, destination, offset);
        public void Clear(DeviceTensor tensor, long offset, long count) => inner.Clear(tensor, offset, count);
        public void ApplyMask(DeviceTensor values, int rows, int n, DropoutMask mask) => inner.ApplyMask(values, rows, n, mask);
        public bool SparseProduct(int layer, DeviceSparse x, int rows, DeviceTensor w, int wColumn, int ldw, int n, bool accumulate, DeviceTensor z, long zOffset, LayerEpilogue? epilogue)
            => inner.SparseProduct(layer, x, rows, w, wColumn, ldw, n, accumulate, z, zOffset, epilogue);
        public void Multiply(bool transposeA, bool transposeB, int m, int n, int k, DeviceTensor a, long aOffset, int lda, DeviceTensor b, long bOffset, int ldb, bool accumulate, DeviceTensor c, long cOffset, int ldc)
            => inner.Multiply(transposeA, transposeB, m, n, k, a, aOffset, lda, b, bOffset, ldb, accumulate, c, cOffset, ldc);
        public void Epilogue(int layer, DeviceTensor z, int rows, int n, LayerEpilogue epilogue) => inner.Epilogue(layer, z, rows, n, epilogue);
        public void OutputDelta(int layer, DeviceTensor output, DeviceTensor delta, int rows, int n, DeviceTargets targets, LossParameters loss) => inner.OutputDelta(layer, output, delta, rows, n, targets, loss);
        public double OutputLoss(int layer, DeviceTensor output, int rows, int n, DeviceTargets targets, LossParameters loss) => inner.OutputLoss(layer, output, rows, n, targets, loss);
        public void HiddenBackward(int layer, DeviceTensor delta, DeviceTensor output, int rows, int n, DeviceTensor? penalty, DropoutMask mask) => inner.HiddenBackward(layer, delta, output, rows, n, penalty, mask);
        public void BatchNormForward(DeviceTensor z, int rows, int n, DeviceTensor bias, BatchNormTensors bn, float momentum, float epsilon, bool training) => inner.BatchNormForward(z, rows, n, bias, bn, momentum, epsilon, training);
        public void BatchNormBackward(DeviceTensor delta, int rows, int n, BatchNormTensors bn) => inner.BatchNormBackward(delta, rows, n, bn);
        public void SparsenessPenalty(DeviceTensor output, int rows, int n, float p, float beta, DeviceTensor penalty) => inner.SparsenessPenalty(output, rows, n, p, beta, penalty);
        public void RowMax(DeviceTensor z, int rows, int n, Span<float> max) => inner.RowMax(z, rows, n, max);
        public void ExpRowSums(DeviceTensor z, int rows, int n, ReadOnlySpan<float> max, Span<double> sums) => inner.ExpRowSums(z, rows, n, max, sums);
        public void ScaleRows(DeviceTensor z, int rows, int n, ReadOnlySpan<double> sums) => inner.ScaleRows(z, rows, n, sums);
        public void RowSums(DeviceTensor u, int rows, int n, Span<double> sums) => inner.RowSums(u, rows, n, sums);
        public void SubtractScaledRows(DeviceTensor u, DeviceTensor a, int rows, int n, ReadOnlySpan<double> sums) => inner.SubtractScaledRows(u, a, rows, n, sums);
        public void UpdateBias(DeviceTensor delta, int rows, int n, ParameterTensors bias, UpdateContext context) => inner.UpdateBias(delta, rows, n, bias, context);
        public void UpdateFromProduct(int m, int n, int k, DeviceTensor a, int lda, DeviceTensor delta, int ldd, ParameterTensors w, UpdateContext context) => inner.UpdateFromProduct(m, n, k, a, lda, delta, ldd, w, context);
        public void UpdateFromGradient(DeviceTensor gradient, long count, ParameterTensors w, UpdateContext context) => inner.UpdateFromGradient(gradient, count, w, context);
        public void UpdateFromSparse(DeviceSparse x, int rows, int wRows, DeviceTensor delta, int ldd, int n, ParameterTensors w, UpdateContext context) => inner.UpdateFromSparse(x, rows, wRows, delta, ldd, n, w, context);
        public void ColumnSquareNorms(DeviceTensor w, int rows, int columns, Span<float> norms) => inner.ColumnSquareNorms(w, rows, columns, norms);
        public void ScaleColumns(DeviceTensor w, int rows, int columns, ReadOnlySpan<float> factors) => inner.ScaleColumns(w, rows, columns, factors);
        public void SelectTopK(DeviceTensor scores, int rows, int n, int k, SparseBatch? exclude, Span<int> indices, Span<float> values, Span<int> counts) => inner.SelectTopK(scores, rows, n, k, exclude, indices, values, counts);
        public bool AnyNonFinite(DeviceTensor tensor, long count) => inner.AnyNonFinite(tensor, count);
        public void Dispose() => inner.Dispose();
    }
}
