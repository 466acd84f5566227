using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardSchedule
{
    /// <summary>
    /// Loads the rows of a mini-batch: sparse inputs into CSR buffers (denoised when training), dense inputs into
    /// their activation buffers, and every output's targets; then hands them to the device.
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
                _device.LoadSparse(_deviceInputs[i]!, _sparseInputs[i]!, forUpdate: training);
                continue;
            }
            var matrix = data.DenseInputs[i]!;
            var range = _ranges[i];
            var local = _activations[i];
            var mask = Mask(i, training, step);
            CopyRows(matrix, rows, range.Start, range.Count, local);
            if (mask.IsActive) _device.ApplyMask(local, batch, range.Count, mask);
            if (_gathered[i] is { } full)
            {
                // Every shard holds the whole dense input, so the gathered copy needs no communication.
                CopyRows(matrix, rows, 0, layer.Width, full);
                if (mask.IsActive) _device.ApplyMask(full, batch, layer.Width, mask with { ColumnOffset = 0 });
            }
        }
        var exampleWeights = LoadExampleWeights(data, rows);
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var t = _plan.Targets[i];
            if (t < 0) continue;
            var range = _ranges[i];
            if (data.TargetSlices[i] is { } slice)
            {
                if (ReferenceEquals(slice, data.InputSlices[t]) && denoising == 0f)
                {
                    _targets[i] = DeviceTargets.FromSparse(_deviceInputs[t]!);
                }
                else
                {
                    var source = _sparseTargets[i] ??= new SparseBatch();
                    source.Fill(slice, rows, 0f, 0, spec.Layers[i].Width);
                    var onDevice = _deviceTargets[i] ??= _device.AllocateSparse();
                    _device.LoadSparse(onDevice, source, forUpdate: false);
                    _targets[i] = DeviceTargets.FromSparse(onDevice);
                }
            }
            else
            {
                var dense = _denseTargets[i]!;
                CopyRows(data.DenseTargets[i]!, rows, range.Start, range.Count, dense);
                _targets[i] = DeviceTargets.FromDense(dense, range.Count);
            }
            if (exampleWeights is not null) _targets[i] = _targets[i]! with { Weights = exampleWeights };
        }
    }

    /// <summary>
    /// The batch's example weights (w of each row in batch order) on the device, or null when the data has none.
    /// Every shard gathers them from the same rows, so the weights follow the batch on every shard and rank.
    /// </summary>
    private DeviceTensor? LoadExampleWeights(ShardData data, ReadOnlySpan<int> rows)
    {
        if (data.ExampleWeights is not { } all) return null;
        if (_exampleWeights is null || _exampleWeights.Length < _capacity) _exampleWeights = _device.Allocate(_capacity);
        var host = WriteOnHost(_exampleWeights, rows.Length, ref _weightRows);
        for (var b = 0; b < rows.Length; b++) host[b] = all[rows[b]];
        FinishWrite(_exampleWeights, host);
        return _exampleWeights;
    }

    /// <summary>Copies columns [start, start + count) of the batch's rows of a dense matrix into a [batch][count] buffer.</summary>
    private void CopyRows(Data.DenseMatrix matrix, ReadOnlySpan<int> rows, int start, int count, DeviceTensor destination)
    {
        var host = WriteOnHost(destination, rows.Length * count, ref _denseRows);
        for (var b = 0; b < rows.Length; b++) matrix.Row(rows[b]).Slice(start, count).CopyTo(host.Slice(b * count, count));
        FinishWrite(destination, host);
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
        var epilogue = new LayerEpilogue(_biases[layer]!.Values, Mask(layer, training, step));
        var isOutput = spec.Kind == LayerKind.Output;
        var fusedDelta = isOutput && training && !kernels.IsSoftmax
            ? new OutputDeltaRequest(_deltas[layer], _targets[layer]!, LossParameters())
            : null;
        var incoming = _plan.Incoming[layer];
        // A batch-normed layer's products write z alone: the normalisation comes between the sum and the activation.
        var fuse = !HasBatchNorm(layer);
        var written = false;
        var epilogueDone = false;
        var deltaDone = false;

        // Edges split by input rows: partial full-width sums, reduced across shards (or written directly on one shard).
        var byRows = incoming.Where(e => _plan.Edges[e].Split == EdgeSplit.ByInputRows || _shards == 1).ToArray();
        if (_shards == 1)
        {
            for (var i = 0; i < byRows.Length; i++)
            {
                var edge = _plan.Edges[byRows[i]];
                var w = _weights[edge.Index];
                var last = i == byRows.Length - 1;
                if (edge.IsTied)
                {
                    // Oᵀ is not the layout the fused product reads: a plain product, the epilogue after the loop.
                    TiedForward(w, _activations[edge.Source], batch, 0, n, written, z, 0, n);
                }
                else if (_deviceInputs[edge.Source] is { } sparse)
                {
                    var fused = _device.SparseProduct(layer, sparse, batch, w.Values, 0, w.Columns, n, written, z, 0, last && n > 0 && fuse ? epilogue : null);
                    epilogueDone |= fused;
                }
                else if (last && n > 0 && fuse)
                {
                    _device.ForwardProduct(layer, _activations[edge.Source], w.Rows, w.Values, w.Columns, batch, n, w.Rows, written, z, epilogue, fusedDelta);
                    epilogueDone = true;
                    deltaDone = fusedDelta is not null;
                }
                else
                {
                    _device.Multiply(false, false, batch, n, w.Rows, _activations[edge.Source], 0, w.Rows, w.Values, 0, w.Columns, written, z, 0, n);
                }
                written = true;
            }
        }
        else
        {
            if (byRows.Length > 0)
            {
                var blocks = _blocks!;
                for (var i = 0; i < byRows.Length; i++)
                {
                    var edge = _plan.Edges[byRows[i]];
                    var w = _weights[edge.Index];
                    for (var s = 0; s < _shards; s++)
                    {
                        var r = _allRanges[layer][s];
                        if (r.Count == 0) continue;
                        var at = BlockOffset(layer, s, batch);
                        if (w.Rows == 0)
                        {
                            if (i == 0) _device.Clear(blocks, at, (long)batch * r.Count);
                        }
                        else if (edge.IsTied)
                        {
                            TiedForward(w, _activations[edge.Source], batch, r.Start, r.Count, i > 0, blocks, at, r.Count);
                        }
                        else if (_deviceInputs[edge.Source] is { } sparse)
                        {
                            _device.SparseProduct(layer, sparse, batch, w.Values, r.Start, w.Columns, r.Count, i > 0, blocks, at, null);
                        }
                        else
                        {
                            _device.Multiply(false, false, batch, r.Count, w.Rows, _activations[edge.Source], 0, w.Rows, w.Values, r.Start, w.Columns, i > 0, blocks, at, r.Count);
                        }
                    }
                }
                ReduceScatterRows(layer, z, batch, accumulate: false);
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
                if (edge.IsTied)
                {
                    TiedForward(w, input, batch, 0, n, written, z, 0, n);
                }
                else if (i == byColumns.Length - 1 && fuse)
                {
                    _device.ForwardProduct(layer, input, w.Rows, w.Values, w.Columns, batch, n, w.Rows, written, z, epilogue, fusedDelta);
                    epilogueDone = true;
                    deltaDone = fusedDelta is not null;
                }
                else
                {
                    _device.Multiply(false, false, batch, n, w.Rows, input, 0, w.Rows, w.Values, 0, w.Columns, written, z, 0, n);
                }
                written = true;
            }
        }
        if (!fuse) BatchNormForward(layer, z, batch, n, training, epilogue);
        else if (!epilogueDone) _device.Epilogue(layer, z, batch, n, epilogue);
        if (kernels.IsSoftmax) Softmax(z, batch, n);

        if (isOutput && training && !deltaDone)
        {
            OutputDelta(layer, batch);
        }
        if (_gathered[layer] is { } full) GatherRows(layer, z, full, batch);
    }

    /// <summary>The output's delta when it could not be fused into the product (softmax, or an output fed by a reduce-scatter).</summary>
    private void OutputDelta(int layer, int batch)
    {
        var n = _ranges[layer].Count;
        var a = _activations[layer];
        var d = _deltas[layer];
        _device.OutputDelta(layer, a, d, batch, n, _targets[layer]!, LossParameters());
        if (_kernels.Layers[layer]!.IsSoftmax) SoftmaxJacobian(a, d, batch, n);
    }

    /// <summary>Sum over the batch of the output layers' losses on this shard's units, all-reduced: the same on every shard.</summary>
    public double BatchLoss(int batch, double extra, out double flag)
    {
        var total = 0.0;
        var spec = _plan.Spec;
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            if (spec.Layers[i].Kind != LayerKind.Output) continue;
            total += _device.OutputLoss(i, _activations[i], batch, _ranges[i].Count, _targets[i]!, LossParameters());
        }
        Span<double> both = stackalloc double[2] { total, extra };
        _comm.AllReduce(both, Distributed.ReductionOperation.Sum);
        flag = both[1];
        return both[0];
    }

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
}
