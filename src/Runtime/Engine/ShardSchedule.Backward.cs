using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardSchedule
{
    private float[] _norms = Array.Empty<float>();

    /// <summary>
    /// Back-propagates the loaded batch (after a training <see cref="Forward"/>) and updates every parameter on the
    /// way: each edge's input delta is computed with its old weights, then the weight gradient goes straight into the
    /// optimizer (on the CPU tile by tile, never stored).
    /// </summary>
    public void Backward(int batch, long step, UpdateContext weights, UpdateContext biases)
    {
        var spec = _plan.Spec;
        for (var i = 0; i < _deltaWritten.Length; i++) _deltaWritten[i] = spec.Layers[i].Kind == LayerKind.Output;
        for (var o = _plan.Order.Count - 1; o >= 0; o--)
        {
            var layer = _plan.Order[o];
            var layerSpec = spec.Layers[layer];
            if (layerSpec.Kind == LayerKind.Input) continue;
            var n = _ranges[layer].Count;
            var delta = _deltas[layer];
            if (layerSpec.Kind == LayerKind.Hidden)
            {
                // Unreachable from any output: nothing flowed back, the gradient is zero.
                if (!_deltaWritten[layer]) _device.Clear(delta, 0, (long)batch * n);
                var hidden = (HiddenKernels)_kernels.Layers[layer]!;
                var penalty = hidden.HasSparsenessPenalty && spec.Training.SparsenessBeta > 0f ? SparsenessPenalty(layer, batch) : null;
                var mask = Mask(layer, training: true, step);
                _device.HiddenBackward(layer, delta, _activations[layer], batch, n, penalty, hidden.HasDropout ? mask : mask with { Probability = 0f });
                if (hidden.IsSoftmax) SoftmaxJacobian(_activations[layer], delta, batch, n);
                if (HasBatchNorm(layer) && n > 0) BatchNormBackward(layer, delta, batch, n, biases);
            }

            // A batch-normed layer's bias cancels in the normalisation: its gradient is exactly 0 and what the column sums
            // would give is rounding noise, which Adam-like rules would turn into steps of ±η. So it is not updated.
            if (n > 0 && !HasBatchNorm(layer)) _device.UpdateBias(delta, batch, n, _biases[layer]!.Parameters, biases);
            if (_gatheredDeltas[layer] is { } fullDelta) GatherRows(layer, delta, fullDelta, batch);

            foreach (var e in _plan.Incoming[layer])
            {
                var edge = _plan.Edges[e];
                var w = _weights[e];
                var source = edge.Source;
                var needsInputDelta = _plan.NeedsDelta(source);
                if (edge.IsTied)
                {
                    TiedBackward(layer, edge, w, n, batch);
                    continue;
                }
                var owner = _tiedGradients[e] is not null;
                if (_shards == 1 || edge.Split == EdgeSplit.ByInputRows)
                {
                    var full = FullDeltas(layer);
                    if (needsInputDelta && w.Rows > 0)
                    {
                        _device.Multiply(false, true, batch, w.Rows, w.Columns, full, 0, w.Columns, w.Values, 0, w.Columns, _deltaWritten[source], _deltas[source], 0, w.Rows);
                        _deltaWritten[source] = true;
                    }
                    if (w.Rows == 0) continue;
                    if (owner)
                    {
                        OwnerUpdate(w, source, full, w.Columns, w.Columns, _deviceInputs[source] is null ? _activations[source] : null, batch, weights);
                    }
                    else if (_deviceInputs[source] is { } sparse)
                    {
                        _device.UpdateFromSparse(sparse, batch, w.Rows, full, w.Columns, w.Columns, w.Parameters, weights);
                    }
                    else
                    {
                        _device.UpdateFromProduct(w.Rows, w.Columns, batch, _activations[source], w.Rows, full, w.Columns, w.Parameters, weights);
                    }
                }
                else
                {
                    var input = FullActivations(source);
                    if (needsInputDelta) ReduceScatterInputDelta(source, delta, n, batch, w.Values, transposeWeights: true, weightsLeading: n);
                    if (n > 0 && owner)
                    {
                        OwnerUpdate(w, source, delta, n, n, input, batch, weights);
                    }
                    else if (n > 0)
                    {
                        _device.UpdateFromProduct(w.Rows, n, batch, input, w.Rows, delta, n, w.Parameters, weights);
                    }
                }
                if (layerSpec.MaxNorm > 0f) ApplyMaxNorm(w, layerSpec.MaxNorm);
            }
        }
    }

    /// <summary>
    /// The input delta of an edge split by its consumer's columns: this shard's n units of δ times its block of the
    /// weights (W[source][n] read transposed, or a tied edge's owner block O[n][source] read as it is), one block per
    /// source shard, then reduce-scattered so each shard adds its own units' sum.
    /// </summary>
    private void ReduceScatterInputDelta(int source, Devices.DeviceTensor delta, int n, int batch, Devices.DeviceTensor weights, bool transposeWeights, int weightsLeading)
    {
        var blocks = _blocks!;
        for (var s = 0; s < _shards; s++)
        {
            var r = _allRanges[source][s];
            if (r.Count == 0) continue;
            var at = BlockOffset(source, s, batch);
            var offset = transposeWeights ? (long)r.Start * weightsLeading : r.Start;
            if (n == 0) _device.Clear(blocks, at, (long)batch * r.Count);
            else _device.Multiply(false, transposeWeights, batch, r.Count, n, delta, 0, n, weights, offset, weightsLeading, false, blocks, at, r.Count);
        }
        ReduceScatterRows(source, _deltas[source], batch, accumulate: _deltaWritten[source]);
        _deltaWritten[source] = true;
    }

    /// <summary>
    /// The KL sparseness penalty's per-unit delta term β(−p/ρ̂ + (1 − p)/(1 − ρ̂)), ρ̂ = batch mean of the layer's
    /// output (docs/semantics.md). Units are local to the shard and the batch is whole, so no communication.
    /// </summary>
    private Devices.DeviceTensor SparsenessPenalty(int layer, int batch)
    {
        var n = _ranges[layer].Count;
        if (_penalty is null || _penalty.Length < n) _penalty = _device.Allocate(_plan.Spec.Layers.Max(l => l.Width));
        _device.SparsenessPenalty(_activations[layer], batch, n, _plan.Spec.Training.SparsenessP, _plan.Spec.Training.SparsenessBeta, _penalty);
        return _penalty;
    }

    /// <summary>Rescales each output unit's incoming weight vector of the edge to L2 norm ≤ <paramref name="limit"/>.</summary>
    private void ApplyMaxNorm(EdgeWeights w, float limit)
    {
        var columns = w.Columns;
        if (columns == 0) return;
        if (_norms.Length < columns) _norms = new float[columns];
        var norms = _norms.AsSpan(0, columns);
        _device.ColumnSquareNorms(w.Values, w.Rows, columns, norms);
        // Rows split across shards: each holds part of every column.
        if (_shards > 1 && w.Edge.Split == EdgeSplit.ByInputRows) _comm.AllReduce(norms, Distributed.ReductionOperation.Sum);
        for (var j = 0; j < columns; j++)
        {
            var norm = MathF.Sqrt(norms[j]);
            norms[j] = norm > limit ? limit / norm : 1f;
        }
        _device.ScaleColumns(w.Values, w.Rows, columns, norms);
    }
}
