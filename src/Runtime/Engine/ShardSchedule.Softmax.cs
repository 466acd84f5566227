using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine.Devices;

namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardSchedule
{
    private float[] _rowMax = Array.Empty<float>();
    private double[] _rowSum = Array.Empty<double>();

    /// <summary>
    /// Row softmax of a layer split across shards: the per-row maximum and sum of exponentials are all-reduced, so
    /// each shard normalises by the whole row (DSSTNE normalised each shard's slice alone).
    /// </summary>
    private void Softmax(DeviceTensor z, int batch, int n)
    {
        EnsureRowBuffers(batch);
        var max = _rowMax.AsSpan(0, batch);
        _device.RowMax(z, batch, n, max);
        if (_shards > 1) _comm.AllReduce(max, ReductionOperation.Max);
        var sum = _rowSum.AsSpan(0, batch);
        _device.ExpRowSums(z, batch, n, max, sum);
        if (_shards > 1) _comm.AllReduce(sum, ReductionOperation.Sum);
        _device.ScaleRows(z, batch, n, sum);
    }

    /// <summary>δz = u − a·Σu per row, where u = a ⊙ ∂ℓ/∂a; the row sums are all-reduced across shards.</summary>
    private void SoftmaxJacobian(DeviceTensor a, DeviceTensor u, int batch, int n)
    {
        EnsureRowBuffers(batch);
        var sum = _rowSum.AsSpan(0, batch);
        _device.RowSums(u, batch, n, sum);
        if (_shards > 1) _comm.AllReduce(sum, ReductionOperation.Sum);
        _device.SubtractScaledRows(u, a, batch, n, sum);
    }

    private void EnsureRowBuffers(int batch)
    {
        if (_rowMax.Length < batch)
        {
            _rowMax = new float[batch];
            _rowSum = new double[batch];
        }
    }
}
