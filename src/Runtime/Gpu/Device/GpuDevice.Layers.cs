using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Gpu.Kernels;
using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

internal sealed partial class GpuDevice
{
    public void ApplyMask(DeviceTensor values, int rows, int n, DropoutMask mask)
    {
        if (rows * n == 0) return;
        _deviceKernels.ApplyMask(Stream, T(values).View, rows, n, Mask(mask));
    }

    public bool SparseProduct(int layer, DeviceSparse x, int rows, DeviceTensor w, int wColumn, int ldw, int n, bool accumulate, DeviceTensor z, long zOffset, LayerEpilogue? epilogue)
    {
        InvalidateFusedLoss(layer);
        if (rows * n == 0) return epilogue is not null;
        var kernel = Layer(layer).SparseForward
            ?? throw new InvalidOperationException($"Layer {layer} has no generated sparse-input kernel; regenerate the network's GPU kernels.");
        var bias = epilogue is { } e ? T(e.Bias).View : T(w).View;
        var mask = epilogue is { } m ? Mask(m.Mask) : default;
        kernel(Stream, rows * n, ((GpuSparse)x).Args, T(w).From(wColumn), ldw, T(z).From(zOffset), n, accumulate ? 1 : 0, epilogue is null ? 0 : 1, bias, mask);
        return epilogue is not null;
    }

    public void Multiply(bool transposeA, bool transposeB, int m, int n, int k, DeviceTensor a, long aOffset, int lda, DeviceTensor b, long bOffset, int ldb, bool accumulate, DeviceTensor c, long cOffset, int ldc)
    {
        if (m == 0 || n == 0) return;
        _blas.Gemm(Stream, transposeA, transposeB, m, n, k, T(a).From(aOffset), lda, T(b).From(bOffset), ldb, accumulate, T(c).From(cOffset), ldc);
    }

    public void ForwardProduct(int layer, DeviceTensor a, int lda, DeviceTensor w, int ldw, int rows, int n, int k, bool accumulate, DeviceTensor z, LayerEpilogue epilogue, OutputDeltaRequest? delta)
    {
        InvalidateFusedLoss(layer);
        Multiply(false, false, rows, n, k, a, 0, lda, w, 0, ldw, accumulate, z, 0, n);
        if (delta is not null && TryEpilogueDeltaLoss(layer, z, rows, n, epilogue, delta)) return;
        Epilogue(layer, z, rows, n, epilogue);
        if (delta is not null) OutputDelta(layer, z, delta.Delta, rows, n, delta.Targets, delta.Loss);
    }

    public void Epilogue(int layer, DeviceTensor z, int rows, int n, LayerEpilogue epilogue)
    {
        InvalidateFusedLoss(layer);
        if (rows * n == 0) return;
        Layer(layer).Epilogue(Stream, rows * n, T(z).View, n, T(epilogue.Bias).View, Mask(epilogue.Mask));
    }

    public void OutputDelta(int layer, DeviceTensor output, DeviceTensor delta, int rows, int n, DeviceTargets targets, LossParameters loss)
    {
        if (rows * n == 0) return;
        Layer(layer).Delta!(Stream, rows * n, T(output).View, T(delta).View, n, Targets(targets), loss);
    }

    public double OutputLoss(int layer, DeviceTensor output, int rows, int n, DeviceTargets targets, LossParameters loss)
    {
        if (TryTakeFusedLoss(layer, output, rows, n, loss, out var fused)) return fused;
        var count = rows * n;
        if (count == 0) return 0;
        var total = _total.Ensure(1).SubView(0, 1);
        total.MemSetToZero(Stream);
        var group = _library.RowGroupSize;   // a power of two the group reductions support on this accelerator
        var groups = (int)Math.Min((count + group - 1) / group, Math.Max(1, _accelerator.MaxNumThreads / group));
        Layer(layer).Loss!(Stream, new KernelConfig(groups, group), T(output).View, count, n, Targets(targets), loss, total);
        var result = 0.0;
        total.CopyToCPU(Stream, ref result, 1);
        _clock.Synchronize();
        return result;
    }

    public void HiddenBackward(int layer, DeviceTensor delta, DeviceTensor output, int rows, int n, DeviceTensor? penalty, DropoutMask mask)
    {
        if (rows * n == 0) return;
        var pen = penalty is null ? T(delta).View : T(penalty).View;
        Layer(layer).Backward!(Stream, rows * n, T(delta).View, T(output).View, n, pen, penalty is null ? 0 : 1, Mask(mask));
    }

    private LoadedKernels.Layer Layer(int layer)
        => _kernels.Layers[layer] ?? throw new InvalidOperationException($"Layer {layer} has no GPU kernels (an input layer).");

    private static TargetArgs Targets(DeviceTargets t)
    {
        var args = t.Sparse is { } s ? new TargetArgs(((GpuSparse)s).Args) : new TargetArgs(T(t.Dense!).View, t.Ld);
        return t.Weights is { } weights ? args.WithWeights(T(weights).View) : args;
    }
}
