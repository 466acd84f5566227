namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Assembles whole parameter tensors (W[in][out] row-major, bias vectors, or their optimizer state) from the shards'
/// blocks, and writes whole tensors back into blocks: what GetWeights, checkpoints and loading need. When every shard
/// lives in this process the blocks are copied directly; otherwise (MPI) they are all-gathered, which is collective.
/// </summary>
/// <remarks>Parts: 0 = the parameters, 1 and 2 = the optimizer's state tensors.</remarks>
internal static class ParameterTransfer
{
    /// <summary>The edge's full W[in][out] (or a state tensor), row-major. Collective under MPI.</summary>
    public static float[] GatherEdge(IReadOnlyList<ShardEngine> engines, int edge, int part = 0)
    {
        var plan = engines[0].Plan;
        var e = plan.Edges[edge];
        var outWidth = plan.Layer(e.Target).Width;
        var full = new float[(long)plan.Layer(e.Source).Width * outWidth];
        if (engines.Count == plan.Shards)
        {
            foreach (var engine in engines) CopyBlockOut(engine.Weights[edge], Part(engine.Weights[edge], part), full, outWidth);
            return full;
        }
        // One shard here, the others in other processes: gather every shard's block.
        var local = engines[0];
        var blocks = Enumerable.Range(0, plan.Shards).Select(s => BlockOf(local, e, s)).ToArray();
        var counts = blocks.Select(b => checked(b.Rows * b.Columns)).ToArray();
        var gathered = new float[counts.Sum()];
        local.Communicator.AllGather(Part(local.Weights[edge], part), gathered, counts);
        var at = 0;
        for (var s = 0; s < blocks.Length; s++)
        {
            var (rowStart, rows, columnStart, columns) = blocks[s];
            for (var r = 0; r < rows; r++) gathered.AsSpan(at + (r * columns), columns).CopyTo(full.AsSpan(((rowStart + r) * outWidth) + columnStart, columns));
            at += counts[s];
        }
        return full;
    }

    /// <summary>The layer's full bias vector (or a state vector of it). Collective under MPI.</summary>
    public static float[] GatherBias(IReadOnlyList<ShardEngine> engines, int layer, int part = 0)
    {
        var plan = engines[0].Plan;
        var full = new float[plan.Layer(layer).Width];
        if (engines.Count == plan.Shards)
        {
            foreach (var engine in engines)
            {
                var bias = engine.Biases[layer]!;
                Part(bias, part).CopyTo(full.AsSpan(bias.Units.Start));
            }
            return full;
        }
        var local = engines[0];
        var counts = local.RangesOf(layer).Select(r => r.Count).ToArray();
        local.Communicator.AllGather(Part(local.Biases[layer]!, part), full, counts);
        return full;
    }

    /// <summary>Writes the full W[in][out] (or a state tensor) into every local shard's block.</summary>
    public static void ScatterEdge(IReadOnlyList<ShardEngine> engines, int edge, ReadOnlySpan<float> full, int part)
    {
        foreach (var engine in engines)
        {
            var w = engine.Weights[edge];
            var target = Part(w, part);
            var width = engine.Plan.Layer(w.Edge.Target).Width;
            for (var r = 0; r < w.Rows; r++)
            {
                full.Slice(((w.RowStart + r) * width) + w.ColumnStart, w.Columns).CopyTo(target.AsSpan(r * w.Columns, w.Columns));
            }
        }
    }

    /// <summary>Writes a full bias (or bias state) vector into every local shard's slice.</summary>
    public static void ScatterBias(IReadOnlyList<ShardEngine> engines, int layer, ReadOnlySpan<float> full, int part)
    {
        foreach (var engine in engines)
        {
            var bias = engine.Biases[layer]!;
            full.Slice(bias.Units.Start, bias.Units.Count).CopyTo(Part(bias, part));
        }
    }

    private static float[] Part(EdgeWeights w, int part) => part switch { 0 => w.Values, 1 => w.State1, _ => w.State2 };

    private static float[] Part(LayerBias b, int part) => part switch { 0 => b.Values, 1 => b.State1, _ => b.State2 };

    private static void CopyBlockOut(EdgeWeights w, float[] source, float[] full, int outWidth)
    {
        for (var r = 0; r < w.Rows; r++) source.AsSpan(r * w.Columns, w.Columns).CopyTo(full.AsSpan(((w.RowStart + r) * outWidth) + w.ColumnStart, w.Columns));
    }

    /// <summary>Shard <paramref name="shard"/>'s block of an edge: it follows from the split and the unit ranges.</summary>
    private static (int RowStart, int Rows, int ColumnStart, int Columns) BlockOf(ShardEngine engine, EdgePlan e, int shard)
    {
        var plan = engine.Plan;
        if (plan.Shards == 1) return (0, plan.Layer(e.Source).Width, 0, plan.Layer(e.Target).Width);
        if (e.Split == EdgeSplit.ByInputRows)
        {
            var r = engine.RangesOf(e.Source)[shard];
            return (r.Start, r.Count, 0, plan.Layer(e.Target).Width);
        }
        var c = engine.RangesOf(e.Target)[shard];
        return (0, plan.Layer(e.Source).Width, c.Start, c.Count);
    }
}
