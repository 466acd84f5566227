using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Kernels.Fusion;
using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Device;

internal sealed partial class GpuDevice
{
    public void UpdateBias(DeviceTensor delta, int rows, int n, ParameterTensors bias, UpdateContext context)
    {
        if (n == 0) return;
        var g = _gradient.Ensure(n).SubView(0, n);
        _library.ColumnSums(Stream, T(delta).View, rows, n, g);
        Update(bias, g, n, context);
    }

    public void UpdateFromProduct(int m, int n, int k, DeviceTensor a, int lda, DeviceTensor delta, int ldd, ParameterTensors w, UpdateContext context)
    {
        var count = (long)m * n;
        if (count == 0) return;
        // dW = aᵀ·δ into a scratch gradient (cuBLAS writes it once), then one pass of the update rule.
        var g = _gradient.Ensure(count).SubView(0, count);
        _blas.Gemm(Stream, true, false, m, n, k, T(a).View, lda, T(delta).View, ldd, false, g, n);
        Update(w, g, count, context);
    }

    public void UpdateFromGradient(DeviceTensor gradient, long count, ParameterTensors w, UpdateContext context)
    {
        if (count == 0) return;
        Update(w, T(gradient).View.SubView(0, count), count, context);
    }

    public void UpdateFromSparse(DeviceSparse x, int rows, int wRows, DeviceTensor delta, int ldd, int n, ParameterTensors w, UpdateContext context)
    {
        var sparse = (GpuSparse)x;
        var count = sparse.FeatureCount * n;
        if (count == 0) return;
        _kernels.SparseUpdate(Stream, count, T(w.Values).View, State(w.State1, w.Values), State(w.State2, w.Values), n, sparse.Transposed, sparse.Features, T(delta).View, ldd, context);
    }

    private void Update(ParameterTensors p, ArrayView<float> gradient, long count, UpdateContext context)
        => _kernels.DenseUpdate(Stream, (int)count, T(p.Values).View, gradient, State(p.State1, p.Values), State(p.State2, p.Values), context);

    // A state the rule does not keep: the kernel never reads it, any valid view will do.
    private static ArrayView<float> State(DeviceTensor? state, DeviceTensor fallback) => T(state ?? fallback).View;
}
