namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// A copy of one shard's parameters and optimizer state (every edge block and bias slice, all parts, and batch norm's
/// γ, β and running statistics) in host
/// memory: what early stopping restores when a later epoch validated worse. Shard-local, so no communication.
/// </summary>
internal sealed class ShardSnapshot(IShardBackend shard)
{
    private float[][][]? _edges;   // [edge][part]
    private float[][][]? _biases;  // [layer][part] (empty for inputs)
    private (int Layer, UnitTensor Tensor, float[][] Parts)[]? _norms; // batch norm γ, β (all parts) and running statistics

    /// <summary>True once something was captured.</summary>
    public bool HasCapture => _edges is not null;

    /// <summary>Copies the shard's current parameters (reusing the buffers of the previous capture).</summary>
    public void Capture()
    {
        var plan = shard.Plan;
        var parts = 1 + shard.StateCount;
        _edges ??= plan.Edges.Select(e => Parts(parts, shard.BlockOf(e.Index, shard.Rank).Count)).ToArray();
        _biases ??= plan.Spec.Layers.Select((l, i) => l.Kind == Specs.LayerKind.Input ? Array.Empty<float[]>() : Parts(parts, shard.Ranges[i].Count)).ToArray();
        _norms ??= plan.Spec.Layers.SelectMany((l, i) => l.BatchNorm is null ? [] : new[]
        {
            (i, UnitTensor.NormWeight, Parts(parts, shard.Ranges[i].Count)),
            (i, UnitTensor.NormBias, Parts(parts, shard.Ranges[i].Count)),
            (i, UnitTensor.RunningMean, Parts(1, shard.Ranges[i].Count)),
            (i, UnitTensor.RunningVar, Parts(1, shard.Ranges[i].Count)),
        }).ToArray();
        for (var e = 0; e < _edges.Length; e++)
        {
            for (var part = 0; part < _edges[e].Length; part++) shard.ReadBlock(e, part, _edges[e][part]);
        }
        for (var l = 0; l < _biases.Length; l++)
        {
            for (var part = 0; part < _biases[l].Length; part++) shard.ReadBias(l, part, _biases[l][part]);
        }
        foreach (var (layer, tensor, values) in _norms)
        {
            for (var part = 0; part < values.Length; part++) shard.ReadUnits(layer, tensor, part, values[part]);
        }
    }

    /// <summary>Writes the captured parameters back.</summary>
    public void Restore()
    {
        if (_edges is null || _biases is null) throw new InvalidOperationException("Nothing was captured.");
        for (var e = 0; e < _edges.Length; e++)
        {
            for (var part = 0; part < _edges[e].Length; part++) shard.WriteBlock(e, part, _edges[e][part]);
        }
        for (var l = 0; l < _biases.Length; l++)
        {
            for (var part = 0; part < _biases[l].Length; part++) shard.WriteBias(l, part, _biases[l][part]);
        }
        foreach (var (layer, tensor, values) in _norms!)
        {
            for (var part = 0; part < values.Length; part++) shard.WriteUnits(layer, tensor, part, values[part]);
        }
    }

    /// <summary>The parameters and each optimizer state tensor the rule keeps.</summary>
    private static float[][] Parts(int parts, long count) => Enumerable.Range(0, parts).Select(_ => new float[count]).ToArray();
}
