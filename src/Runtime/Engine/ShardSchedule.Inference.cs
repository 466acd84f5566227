using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardSchedule
{
    /// <summary>The loaded batch's activations of a layer, all units, row-major [batch][width] (gathered across shards).</summary>
    public void CopyFullActivations(int layer, int batch, Span<float> destination)
    {
        var width = _plan.Layer(layer).Width;
        if (_shards == 1)
        {
            _device.Download(_activations[layer], 0, destination[..(batch * width)]);
            return;
        }
        var full = _gathered[layer] ?? _device.Allocate((long)batch * width);
        if (_gathered[layer] is null || !_plan.NeedsGatheredActivations(layer)) GatherRows(layer, _activations[layer], full, batch);
        _device.Download(full, 0, destination[..(batch * width)]);
    }

    /// <summary>
    /// Top-k units of an output layer for every row of the loaded batch, skipping each row's "seen" columns
    /// (<paramref name="seen"/>, the full sparse input; null = none). Each shard selects k among its own units, the
    /// candidates are all-gathered and merged, so every shard returns the same answer.
    /// </summary>
    public (int[] Columns, float[] Scores, int[] Counts) TopK(int layer, int batch, int k, Data.SparseMatrix? seen, ReadOnlySpan<int> rows)
    {
        var range = _ranges[layer];
        var n = range.Count;
        var localK = Math.Min(k, n);
        // Each row's seen columns inside this shard's range, as a CSR of local ids (ascending, as the matrix stores them).
        var exclude = new SparseBatch();
        if (seen is not null) exclude.FillColumns(seen, rows, range.Start, range.End);
        var indices = new int[batch * Math.Max(localK, 1)];
        var scores = new float[indices.Length];
        var counts = new int[batch];
        if (localK > 0) _device.SelectTopK(_activations[layer], batch, n, localK, seen is null ? null : exclude, indices, scores, counts);
        // Candidates per row: k slots of (column bits, score), padded with (-1, -inf).
        var mine = new float[batch * 2 * k];
        for (var b = 0; b < batch; b++)
        {
            var slot = mine.AsSpan(b * 2 * k, 2 * k);
            for (var i = 0; i < k; i++)
            {
                var kept = i < counts[b];
                slot[2 * i] = BitConverter.Int32BitsToSingle(kept ? indices[(b * localK) + i] + range.Start : -1);
                slot[(2 * i) + 1] = kept ? scores[(b * localK) + i] : float.NegativeInfinity;
            }
        }
        float[] all;
        if (_shards == 1)
        {
            all = mine;
        }
        else
        {
            all = new float[_shards * mine.Length];
            _comm.AllGather(mine, all, Enumerable.Repeat(mine.Length, _shards).ToArray());
        }
        var outColumns = new int[batch * k];
        var outScores = new float[batch * k];
        var outCounts = new int[batch];
        var candidates = new List<(float Score, int Column)>(_shards * k);
        for (var b = 0; b < batch; b++)
        {
            candidates.Clear();
            for (var s = 0; s < _shards; s++)
            {
                var slot = all.AsSpan((s * mine.Length) + (b * 2 * k), 2 * k);
                for (var i = 0; i < k; i++)
                {
                    var column = BitConverter.SingleToInt32Bits(slot[2 * i]);
                    if (column >= 0) candidates.Add((slot[(2 * i) + 1], column));
                }
            }
            candidates.Sort(static (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Column.CompareTo(y.Column));
            var take = Math.Min(k, candidates.Count);
            for (var i = 0; i < take; i++)
            {
                outColumns[(b * k) + i] = candidates[i].Column;
                outScores[(b * k) + i] = candidates[i].Score;
            }
            outCounts[b] = take;
        }
        return (outColumns, outScores, outCounts);
    }

    /// <summary>Index of the network's only output layer, or the named one.</summary>
    public int OutputLayer(string? name)
    {
        var spec = _plan.Spec;
        if (name is not null)
        {
            var i = spec.IndexOf(name);
            if (i < 0 || spec.Layers[i].Kind != LayerKind.Output) throw new ArgumentException($"'{name}' is not an output layer of '{spec.Name}'.", nameof(name));
            return i;
        }
        var outputs = Enumerable.Range(0, spec.Layers.Count).Where(i => spec.Layers[i].Kind == LayerKind.Output).ToArray();
        if (outputs.Length != 1) throw new ArgumentException($"'{spec.Name}' has {outputs.Length} output layers; name the one you want.", nameof(name));
        return outputs[0];
    }

    /// <summary>The first layer (forward order) whose activations in the loaded batch are not all finite, or null.</summary>
    public string? FirstNonFiniteLayer(int batch)
    {
        foreach (var layer in _plan.Order)
        {
            var spec = _plan.Layer(layer);
            if (spec.Kind == LayerKind.Input && spec.Sparse) continue;
            if (_device.AnyNonFinite(_activations[layer], (long)batch * _ranges[layer].Count)) return spec.Name;
        }
        return null;
    }

    /// <summary>Replaces the plan after the model's options changed (same structure, new hyperparameters).</summary>
    public void Refresh(NetworkPlan plan) => _plan = plan;
}
