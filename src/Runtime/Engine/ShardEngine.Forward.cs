using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardEngine
{
    /// <summary>
    /// Loads the rows of a mini-batch: sparse inputs into CSR buffers (denoised when training), dense inputs into
    /// their activation buffers, and every output's targets.
    /// </summary>
    public void LoadBatch(ShardData data, ReadOnlySpan<int> rows, bool training, long epoch, long step)
    {
        var spec = _plan.Spec;
        var batch = rows.Length;
        EnsureCapacity(batch);
        var denoising = training ? spec.Training.Denoising : 0f;
        var denoiseKey = CounterRng.Key(spec.Training.Seed, CounterRng.Stream.Denoise, (ulong)epoch);
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            if (layer.Kind != LayerKind.Input) continue;
            if (layer.Sparse)
            {
                _sparseInputs[i]!.Fill(data.InputSlices[i]!, rows, denoising, denoiseKey, layer.Width);
                continue;
            }
            var matrix = data.DenseInputs[i]!;
            var range = _ranges[i];
            var local = _activations[i];
            for (var b = 0; b < batch; b++) matrix.Row(rows[b]).Slice(range.Start, range.Count).CopyTo(local.AsSpan(b * range.Count, range.Count));
            var mask = Mask(i, training, step);
            if (mask.IsActive) ApplyMask(local, batch, range.Count, mask);
            if (_gathered[i] is { } full)
            {
                // Every shard holds the whole dense input, so the gathered copy needs no communication.
                for (var b = 0; b < batch; b++) matrix.Row(rows[b]).CopyTo(full.AsSpan(b * layer.Width, layer.Width));
                if (mask.IsActive) ApplyMask(full, batch, layer.Width, mask with { ColumnOffset = 0 });
            }
        }
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var t = _plan.Targets[i];
            if (t < 0) continue;
            var range = _ranges[i];
            if (data.TargetSlices[i] is { } slice)
            {
                SparseBatch source;
                if (ReferenceEquals(slice, data.InputSlices[t]) && denoising == 0f)
                {
                    source = _sparseInputs[t]!;
                }
                else
                {
                    source = _sparseTargets[i] ??= new SparseBatch();
                    source.Fill(slice, rows, 0f, 0, spec.Layers[i].Width);
                }
                _targets[i] = BatchTargets.Sparse(source.Offsets, source.Columns, source.Values);
            }
            else
            {
                var matrix = data.DenseTargets[i]!;
                var dense = _denseTargets[i];
                for (var b = 0; b < batch; b++) matrix.Row(rows[b]).Slice(range.Start, range.Count).CopyTo(dense.AsSpan(b * range.Count, range.Count));
                _targets[i] = BatchTargets.FromDense(dense, range.Count);
            }
        }
    }

    /// <summary>Runs every layer forward for the loaded batch. Training: dropout on, and the outputs' deltas are computed.</summary>
    public void Forward(int batch, bool training, long step)
    {
        foreach (var layer in _plan.Order)
        {
            if (_plan.Layer(layer).Kind == LayerKind.Input) continue;
            ForwardLayer(layer, batch, training, step);
        }
    }

    private void ForwardLayer(int layer, int batch, bool training, long step)
    {
        var spec = _plan.Layer(layer);
        var kernels = _kernels.Layers[layer]!;
        var n = _ranges[layer].Count;
        var z = _activations[layer];
        var bias = _biases[layer]!.Values;
        var mask = Mask(layer, training, step);
        var isOutput = spec.Kind == LayerKind.Output;
        var fusedDelta = isOutput && training && !kernels.IsSoftmax
            ? new LayerKernels.FusedDelta(_deltas[layer], _targets[layer]!, LossParameters())
            : null;
        var incoming = _plan.Incoming[layer];
        var written = false;
        var epilogueDone = false;

        // Edges split by input rows: partial full-width sums, reduced across shards (or written directly on one shard).
        var byRows = incoming.Where(e => _plan.Edges[e].Split == EdgeSplit.ByInputRows || _shards == 1).ToArray();
        if (_shards == 1)
        {
            for (var i = 0; i < byRows.Length; i++)
            {
                var edge = _plan.Edges[byRows[i]];
                var w = _weights[edge.Index];
                var last = i == byRows.Length - 1;
                if (_sparseInputs[edge.Source] is { } sparse)
                {
                    SparseKernels.GatherRows(batch, sparse.Offsets, sparse.Columns, sparse.Values, w.Values, w.Columns, n, written, z, n);
                }
                else if (last && n > 0)
                {
                    kernels.ForwardProduct(_activations[edge.Source], w.Rows, w.Values, 0, w.Columns, batch, n, w.Rows, written, z, bias, mask, fusedDelta);
                    epilogueDone = true;
                }
                else
                {
                    Gemm.Multiply(false, false, batch, n, w.Rows, _activations[edge.Source], w.Rows, w.Values, w.Columns, written, z, n);
                }
                written = true;
            }
        }
        else
        {
            if (byRows.Length > 0)
            {
                var blocks = _scratch;
                for (var i = 0; i < byRows.Length; i++)
                {
                    var edge = _plan.Edges[byRows[i]];
                    var w = _weights[edge.Index];
                    for (var s = 0; s < _shards; s++)
                    {
                        var r = _allRanges[layer][s];
                        if (r.Count == 0) continue;
                        var at = BlockOffset(layer, s, batch);
                        var block = blocks.AsSpan(at, batch * r.Count);
                        if (w.Rows == 0)
                        {
                            if (i == 0) block.Clear();
                        }
                        else if (_sparseInputs[edge.Source] is { } sparse)
                        {
                            SparseKernels.GatherRows(batch, sparse.Offsets, sparse.Columns, sparse.Values, w.Values.AsSpan(r.Start), w.Columns, r.Count, i > 0, block, r.Count);
                        }
                        else
                        {
                            Gemm.Multiply(false, false, batch, r.Count, w.Rows, _activations[edge.Source], w.Rows, w.Values.AsSpan(r.Start), w.Columns, i > 0, block, r.Count);
                        }
                    }
                }
                ReduceScatterRows(layer, blocks, z, batch, accumulate: false);
                written = true;
            }
            // Edges split by output columns: gathered inputs times this shard's columns; the last one carries the fused epilogue.
            var byColumns = incoming.Where(e => _plan.Edges[e].Split == EdgeSplit.ByOutputColumns).ToArray();
            for (var i = 0; i < byColumns.Length; i++)
            {
                var edge = _plan.Edges[byColumns[i]];
                var w = _weights[edge.Index];
                var input = FullActivations(edge.Source);
                if (n == 0) { written = true; continue; }
                if (i == byColumns.Length - 1)
                {
                    kernels.ForwardProduct(input, w.Rows, w.Values, 0, w.Columns, batch, n, w.Rows, written, z, bias, mask, fusedDelta);
                    epilogueDone = true;
                }
                else
                {
                    Gemm.Multiply(false, false, batch, n, w.Rows, input, w.Rows, w.Values, w.Columns, written, z, n);
                }
                written = true;
            }
        }
        if (!epilogueDone) kernels.Forward(z, batch, n, bias, mask);
        if (kernels.IsSoftmax) Softmax(z, batch, n);

        if (isOutput && training && (fusedDelta is null || !epilogueDone))
        {
            OutputDelta(layer, batch);
        }
        if (_gathered[layer] is { } full) GatherRows(layer, z, full, batch);
    }

    /// <summary>The output's delta when it could not be fused into the product (softmax, or an output fed by a reduce-scatter).</summary>
    private void OutputDelta(int layer, int batch)
    {
        var kernels = _kernels.Layers[layer]!;
        var n = _ranges[layer].Count;
        var a = _activations[layer];
        var d = _deltas[layer];
        OutputKernels(layer).Delta(a, d, batch, n, _targets[layer]!, LossParameters());
        if (kernels.IsSoftmax) SoftmaxJacobian(a, d, batch, n);
    }

    /// <summary>Sum over the batch of the output layers' losses on this shard's units, all-reduced: the same on every shard.</summary>
    public double BatchLoss(int batch, double extra, out double flag)
    {
        var total = 0.0;
        var spec = _plan.Spec;
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            if (spec.Layers[i].Kind != LayerKind.Output) continue;
            OutputKernels(i).Loss(_activations[i], batch, _ranges[i].Count, _targets[i]!, LossParameters(), _rowLoss);
            for (var b = 0; b < batch; b++) total += _rowLoss[b];
        }
        Span<double> both = stackalloc double[2] { total, extra };
        _comm.AllReduce(both, Distributed.ReductionOperation.Sum);
        flag = both[1];
        return both[0];
    }

    private OutputKernels OutputKernels(int layer) => (OutputKernels)_kernels.Layers[layer]!;

    private LossParameters LossParameters()
    {
        var l = _plan.Spec.Loss;
        return new LossParameters(l.OneTarget, l.ZeroTarget, l.OneScale, l.ZeroScale);
    }

    private DropoutMask Mask(int layer, bool training, long step)
    {
        var spec = _plan.Layer(layer);
        var p = training ? spec.Dropout : 0f;
        var key = CounterRng.Key(_plan.Spec.Training.Seed, CounterRng.Stream.Dropout, (ulong)layer, (ulong)step);
        return new DropoutMask(key, p, spec.Width, _ranges[layer].Start);
    }

    private static void ApplyMask(float[] values, int rows, int n, DropoutMask mask)
    {
        for (var b = 0; b < rows; b++) mask.Apply(values.AsSpan(b * n, n), b, 0);
    }
}
