using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Gpu.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

internal sealed partial class GpuDevice
{
    public void SparsenessPenalty(DeviceTensor output, int rows, int n, float p, float beta, DeviceTensor penalty)
    {
        if (n == 0) return;
        _library.SparsenessPenalty(Stream, T(output).View, rows, n, p, beta, T(penalty).View);
    }

    public void BatchNormForward(DeviceTensor z, int rows, int n, DeviceTensor bias, BatchNormTensors bn, float momentum, float epsilon, bool training)
    {
        var args = new Kernels.Library.NormArgs(T(z).View, rows, n, T(bias).View, T(bn.Gamma).View, T(bn.Beta).View, T(bn.RunningMean).View,
            T(bn.RunningVar).View, T(bn.Normalized).View, T(bn.InverseStd).View, T(bn.GammaGradient).View, T(bn.BetaGradient).View, momentum, epsilon);
        if (training) _library.BatchNormTrain(Stream, args);
        else _library.BatchNormInfer(Stream, args);
    }

    // The backward pass reads no bias: γ's view stands in for it.
    public void BatchNormBackward(DeviceTensor delta, int rows, int n, BatchNormTensors bn)
        => _library.BatchNormBackward(Stream, new Kernels.Library.NormArgs(T(delta).View, rows, n, T(bn.Gamma).View, T(bn.Gamma).View, T(bn.Beta).View,
            T(bn.RunningMean).View, T(bn.RunningVar).View, T(bn.Normalized).View, T(bn.InverseStd).View, T(bn.GammaGradient).View, T(bn.BetaGradient).View, 0f, 0f));

    public void RowMax(DeviceTensor z, int rows, int n, Span<float> max)
    {
        var device = _vector.Ensure(rows).SubView(0, rows);
        _library.RowMax(Stream, T(z).View, rows, n, device);
        device.CopyToCPU(Stream, ref max[0], rows);
        _clock.Synchronize();
    }

    public void ExpRowSums(DeviceTensor z, int rows, int n, ReadOnlySpan<float> max, Span<double> sums)
    {
        var maxOnDevice = _vector.Upload(Stream, max[..rows]).SubView(0, rows);
        var sumsOnDevice = _rows.Ensure(rows).SubView(0, rows);
        _library.ExpAndRowSum(Stream, T(z).View, rows, n, maxOnDevice, sumsOnDevice);
        sumsOnDevice.CopyToCPU(Stream, ref sums[0], rows);
        _clock.Synchronize();
    }

    public void ScaleRows(DeviceTensor z, int rows, int n, ReadOnlySpan<double> sums)
        => _library.ScaleRows(Stream, T(z).View, rows, n, _rows.Upload(Stream, sums[..rows]).SubView(0, rows));

    public void RowSums(DeviceTensor u, int rows, int n, Span<double> sums)
    {
        var device = _rows.Ensure(rows).SubView(0, rows);
        _library.RowSums(Stream, T(u).View, rows, n, device);
        device.CopyToCPU(Stream, ref sums[0], rows);
        _clock.Synchronize();
    }

    public void SubtractScaledRows(DeviceTensor u, DeviceTensor a, int rows, int n, ReadOnlySpan<double> sums)
        => _library.SubtractScaled(Stream, T(u).View, T(a).View, rows, n, _rows.Upload(Stream, sums[..rows]).SubView(0, rows));

    public void ColumnSquareNorms(DeviceTensor w, int rows, int columns, Span<float> norms)
    {
        var device = _vector.Ensure(columns).SubView(0, columns);
        _library.ColumnSquareNorms(Stream, T(w).View, rows, columns, device);
        device.CopyToCPU(Stream, ref norms[0], columns);
        _clock.Synchronize();
    }

    public void ScaleColumns(DeviceTensor w, int rows, int columns, ReadOnlySpan<float> factors)
        => _library.ScaleColumns(Stream, T(w).View, rows, columns, _vector.Upload(Stream, factors[..columns]).SubView(0, columns));

    public void SelectTopK(DeviceTensor scores, int rows, int n, int k, SparseBatch? exclude, Span<int> indices, Span<float> values, Span<int> counts)
    {
        if (rows == 0) return;
        var stream = Stream;
        SparseArgs excluded = default;
        if (exclude is not null)
        {
            var nnz = exclude.Offsets[rows];
            excluded = new SparseArgs(
                _topKExcludeOffsets.Upload(stream, exclude.Offsets.AsSpan(0, rows + 1)),
                _topKExcludeColumns.Upload(stream, exclude.Columns.AsSpan(0, nnz)),
                _vector.Ensure(1), hasValues: false);
        }
        else
        {
            excluded = new SparseArgs(_topKExcludeOffsets.Ensure(1), _topKExcludeColumns.Ensure(1), _vector.Ensure(1), hasValues: false);
        }
        var outIndices = _topKIndices.Ensure((long)rows * k).SubView(0, (long)rows * k);
        var outValues = _topKValues.Ensure((long)rows * k).SubView(0, (long)rows * k);
        var outCounts = _topKCounts.Ensure(rows).SubView(0, rows);
        _deviceKernels.TopK(stream, _library.RowGroupSize, T(scores).View, rows, n, k, excluded, exclude is not null, outIndices, outValues, outCounts);
        outIndices.CopyToCPU(stream, ref indices[0], (long)rows * k);
        outValues.CopyToCPU(stream, ref values[0], (long)rows * k);
        outCounts.CopyToCPU(stream, ref counts[0], rows);
        _clock.Synchronize();
    }

    public bool AnyNonFinite(DeviceTensor tensor, long count)
    {
        if (count == 0) return false;
        var flag = _flag.Ensure(1).SubView(0, 1);
        _library.AnyNonFinite(Stream, T(tensor).View, (int)count, flag);
        var result = 0;
        flag.CopyToCPU(Stream, ref result, 1);
        _clock.Synchronize();
        return result != 0;
    }
}
