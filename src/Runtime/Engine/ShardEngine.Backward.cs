using System.Numerics.Tensors;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardEngine
{
    private float[] _biasGradient = Array.Empty<float>();
    private float[] _penalty = Array.Empty<float>();
    private float[] _norms = Array.Empty<float>();

    /// <summary>
    /// Back-propagates the loaded batch (after a training <see cref="Forward"/>) and updates every parameter on the
    /// way: each edge's input delta is computed with its old weights, then the weight gradient is produced tile by
    /// tile straight into the optimizer (never stored).
    /// </summary>
    public void Backward(int batch, long step, UpdateContext weights, UpdateContext biases)
    {
        var spec = _plan.Spec;
        var update = _kernels.Update;
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
                if (!_deltaWritten[layer]) Array.Clear(delta, 0, batch * n);
                var hidden = (HiddenKernels)_kernels.Layers[layer]!;
                var penalty = hidden.HasSparsenessPenalty && spec.Training.SparsenessBeta > 0f ? SparsenessPenalty(layer, batch) : null;
                hidden.Backward(delta, _activations[layer], batch, n, penalty, Mask(layer, training: true, step));
                if (hidden.IsSoftmax) SoftmaxJacobian(_activations[layer], delta, batch, n);
            }

            UpdateBias(layer, batch, update, biases);
            if (_gatheredDeltas[layer] is { } fullDelta) GatherRows(layer, delta, fullDelta, batch);

            foreach (var e in _plan.Incoming[layer])
            {
                var edge = _plan.Edges[e];
                var w = _weights[e];
                var source = edge.Source;
                var needsInputDelta = _plan.NeedsDelta(source);
                if (_shards == 1 || edge.Split == EdgeSplit.ByInputRows)
                {
                    var full = FullDeltas(layer);
                    if (needsInputDelta && w.Rows > 0)
                    {
                        Gemm.Multiply(false, true, batch, w.Rows, w.Columns, full, w.Columns, w.Values, w.Columns, _deltaWritten[source], _deltas[source], w.Rows);
                        _deltaWritten[source] = true;
                    }
                    if (w.Rows == 0) continue;
                    if (_sparseInputs[source] is { } sparse)
                    {
                        update.UpdateFromSparse(batch, sparse.Offsets, sparse.Columns, sparse.Values, w.Rows, full, w.Columns, w.Columns, w.Values, w.State1, w.State2, weights);
                    }
                    else
                    {
                        update.UpdateFromProduct(true, false, w.Rows, w.Columns, batch, _activations[source], w.Rows, full, w.Columns, w.Values, w.State1, w.State2, w.Columns, weights);
                    }
                }
                else
                {
                    var input = FullActivations(source);
                    if (needsInputDelta)
                    {
                        var blocks = _scratch;
                        for (var s = 0; s < _shards; s++)
                        {
                            var r = _allRanges[source][s];
                            if (r.Count == 0) continue;
                            var block = blocks.AsSpan(BlockOffset(source, s, batch), batch * r.Count);
                            if (n == 0) block.Clear();
                            else Gemm.Multiply(false, true, batch, r.Count, n, delta, n, w.Values.AsSpan(r.Start * n), n, false, block, r.Count);
                        }
                        ReduceScatterRows(source, blocks, _deltas[source], batch, accumulate: _deltaWritten[source]);
                        _deltaWritten[source] = true;
                    }
                    if (n > 0)
                    {
                        update.UpdateFromProduct(true, false, w.Rows, n, batch, input, w.Rows, delta, n, w.Values, w.State1, w.State2, n, weights);
                    }
                }
                if (layerSpec.MaxNorm > 0f) ApplyMaxNorm(w, layerSpec.MaxNorm);
            }
        }
    }

    /// <summary>Column sums of the delta (the bias gradient, summed in row order) fed to the optimizer.</summary>
    private void UpdateBias(int layer, int batch, UpdateKernels update, UpdateContext context)
    {
        var n = _ranges[layer].Count;
        if (n == 0) return;
        if (_biasGradient.Length < n) _biasGradient = new float[n];
        var g = _biasGradient.AsSpan(0, n);
        var delta = _deltas[layer];
        delta.AsSpan(0, n).CopyTo(g);
        for (var b = 1; b < batch; b++) TensorPrimitives.Add(g, delta.AsSpan(b * n, n), g);
        var bias = _biases[layer]!;
        update.Update(bias.Values, g, bias.State1, bias.State2, context);
    }

    /// <summary>
    /// The KL sparseness penalty's per-unit delta term β(−p/ρ̂ + (1 − p)/(1 − ρ̂)), ρ̂ = batch mean of the layer's
    /// output (docs/semantics.md). Units are local to the shard and the batch is whole, so no communication.
    /// </summary>
    private float[] SparsenessPenalty(int layer, int batch)
    {
        var n = _ranges[layer].Count;
        if (_penalty.Length < n) _penalty = new float[n];
        var pen = _penalty;
        var a = _activations[layer];
        var p = _plan.Spec.Training.SparsenessP;
        var beta = _plan.Spec.Training.SparsenessBeta;
        for (var j = 0; j < n; j++)
        {
            double sum = 0;
            for (var b = 0; b < batch; b++) sum += a[(b * n) + j];
            var rho = Math.Clamp(sum / batch, 1e-6, 1 - 1e-6);
            pen[j] = (float)(beta * ((-p / rho) + ((1 - p) / (1 - rho))));
        }
        return pen;
    }

    /// <summary>Rescales each output unit's incoming weight vector of the edge to L2 norm ≤ <paramref name="limit"/>.</summary>
    private void ApplyMaxNorm(EdgeWeights w, float limit)
    {
        var columns = w.Columns;
        if (columns == 0) return;
        if (_norms.Length < columns) _norms = new float[columns];
        var norms = _norms.AsSpan(0, columns);
        norms.Clear();
        for (var r = 0; r < w.Rows; r++)
        {
            var row = w.Values.AsSpan(r * columns, columns);
            for (var j = 0; j < columns; j++) norms[j] += row[j] * row[j];
        }
        // Rows split across shards: each holds part of every column.
        if (_shards > 1 && w.Edge.Split == EdgeSplit.ByInputRows) _comm.AllReduce(norms, Distributed.ReductionOperation.Sum);
        for (var j = 0; j < columns; j++)
        {
            var norm = MathF.Sqrt(norms[j]);
            norms[j] = norm > limit ? limit / norm : 1f;
        }
        for (var r = 0; r < w.Rows; r++) TensorPrimitives.Multiply(w.Values.AsSpan(r * columns, columns), norms, w.Values.AsSpan(r * columns, columns));
    }
}
