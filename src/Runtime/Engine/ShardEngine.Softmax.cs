using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardEngine
{
    private float[] _rowMax = Array.Empty<float>();
    private double[] _rowSum = Array.Empty<double>();

    /// <summary>
    /// Row softmax of a layer split across shards: the per-row maximum and sum of exponentials are all-reduced, so
    /// each shard normalises by the whole row (DSSTNE normalised each shard's slice alone).
    /// </summary>
    private void Softmax(float[] z, int batch, int n)
    {
        EnsureRowBuffers(batch);
        var max = _rowMax.AsSpan(0, batch);
        for (var b = 0; b < batch; b++)
        {
            var m = float.NegativeInfinity;
            foreach (var v in z.AsSpan(b * n, n)) m = MathF.Max(m, v);
            max[b] = m;
        }
        if (_shards > 1) _comm.AllReduce(max, ReductionOperation.Max);
        var sum = _rowSum.AsSpan(0, batch);
        for (var b = 0; b < batch; b++)
        {
            var row = z.AsSpan(b * n, n);
            double s = 0;
            for (var j = 0; j < n; j++)
            {
                var e = MathF.Exp(row[j] - max[b]);
                row[j] = e;
                s += e;
            }
            sum[b] = s;
        }
        if (_shards > 1) _comm.AllReduce(sum, ReductionOperation.Sum);
        for (var b = 0; b < batch; b++)
        {
            var inv = (float)(1.0 / sum[b]);
            var row = z.AsSpan(b * n, n);
            for (var j = 0; j < n; j++) row[j] *= inv;
        }
    }

    /// <summary>δz = u − a·Σu per row, where u = a ⊙ ∂ℓ/∂a; the row sums are all-reduced across shards.</summary>
    private void SoftmaxJacobian(float[] a, float[] u, int batch, int n)
    {
        EnsureRowBuffers(batch);
        var sum = _rowSum.AsSpan(0, batch);
        for (var b = 0; b < batch; b++)
        {
            double s = 0;
            foreach (var v in u.AsSpan(b * n, n)) s += v;
            sum[b] = s;
        }
        if (_shards > 1) _comm.AllReduce(sum, ReductionOperation.Sum);
        for (var b = 0; b < batch; b++)
        {
            var s = (float)sum[b];
            var ur = u.AsSpan(b * n, n);
            var ar = a.AsSpan(b * n, n);
            for (var j = 0; j < n; j++) ur[j] -= ar[j] * s;
        }
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
