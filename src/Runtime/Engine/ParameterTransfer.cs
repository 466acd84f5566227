namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Assembles whole parameter tensors (W[in][out] row-major, bias vectors, or their optimizer state) from the shards'
/// blocks, and writes whole tensors back into blocks: what GetWeights, checkpoints and loading need. When every shard
/// lives in this process the blocks are read directly; otherwise (MPI) they are all-gathered, which is collective.
/// </summary>
/// <remarks>Parts: 0 = the parameters, 1 and 2 = the optimizer's state tensors.</remarks>
internal static class ParameterTransfer
{
    /// <summary>The edge's full W[in][out] (or a state tensor), row-major. Collective under MPI.</summary>
    public static float[] GatherEdge(IReadOnlyList<IShardBackend> shards, int edge, int part = 0)
    {
        var plan = shards[0].Plan;
        var e = plan.Edges[edge];
        var outWidth = plan.Layer(e.Target).Width;
        var full = new float[(long)plan.Layer(e.Source).Width * outWidth];
        var blocks = Enumerable.Range(0, plan.Shards).Select(s => shards[0].BlockOf(edge, s)).ToArray();
        if (shards.Count == plan.Shards)
        {
            foreach (var shard in shards)
            {
                var block = blocks[shard.Rank];
                var local = new float[block.Count];
                shard.ReadBlock(edge, part, local);
                Place(local, block, full, outWidth);
            }
            return full;
        }
        // One shard here, the others in other processes: gather every shard's block.
        var counts = blocks.Select(b => b.Count).ToArray();
        var mine = new float[counts[shards[0].Rank]];
        shards[0].ReadBlock(edge, part, mine);
        var gathered = new float[counts.Sum()];
        shards[0].Communicator.AllGather(mine, gathered, counts);
        var at = 0;
        for (var s = 0; s < blocks.Length; s++)
        {
            Place(gathered.AsSpan(at, counts[s]), blocks[s], full, outWidth);
            at += counts[s];
        }
        return full;
    }

    /// <summary>The layer's full bias vector (or a state vector of it). Collective under MPI.</summary>
    public static float[] GatherBias(IReadOnlyList<IShardBackend> shards, int layer, int part = 0)
    {
        var plan = shards[0].Plan;
        var full = new float[plan.Layer(layer).Width];
        var ranges = shards[0].RangesOf(layer);
        if (shards.Count == plan.Shards)
        {
            foreach (var shard in shards)
            {
                var r = ranges[shard.Rank];
                shard.ReadBias(layer, part, full.AsSpan(r.Start, r.Count));
            }
            return full;
        }
        var local = shards[0];
        var mine = new float[ranges[local.Rank].Count];
        local.ReadBias(layer, part, mine);
        local.Communicator.AllGather(mine, full, ranges.Select(r => r.Count).ToArray());
        return full;
    }

    /// <summary>Writes the full W[in][out] (or a state tensor) into every local shard's block.</summary>
    public static void ScatterEdge(IReadOnlyList<IShardBackend> shards, int edge, ReadOnlySpan<float> full, int part)
    {
        var outWidth = shards[0].Plan.Layer(shards[0].Plan.Edges[edge].Target).Width;
        foreach (var shard in shards)
        {
            var block = shard.BlockOf(edge, shard.Rank);
            var local = new float[block.Count];
            for (var r = 0; r < block.Rows; r++)
            {
                full.Slice(((block.RowStart + r) * outWidth) + block.ColumnStart, block.Columns).CopyTo(local.AsSpan(r * block.Columns, block.Columns));
            }
            shard.WriteBlock(edge, part, local);
        }
    }

    /// <summary>Writes a full bias (or bias state) vector into every local shard's slice.</summary>
    public static void ScatterBias(IReadOnlyList<IShardBackend> shards, int layer, ReadOnlySpan<float> full, int part)
    {
        foreach (var shard in shards)
        {
            var r = shard.RangesOf(layer)[shard.Rank];
            shard.WriteBias(layer, part, full.Slice(r.Start, r.Count));
        }
    }

    private static void Place(ReadOnlySpan<float> block, WeightBlock shape, float[] full, int outWidth)
    {
        for (var r = 0; r < shape.Rows; r++)
        {
            block.Slice(r * shape.Columns, shape.Columns).CopyTo(full.AsSpan(((shape.RowStart + r) * outWidth) + shape.ColumnStart, shape.Columns));
        }
    }
}
