namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Assembles whole parameter tensors from the shards' blocks (every shard gets the whole tensor) and scatters
/// whole tensors back into blocks: what GetWeights, checkpoints and loading need. Collective.
/// </summary>
internal static class ParameterTransfer
{
    /// <summary>The edge's full W[in][out], row-major.</summary>
    public static float[] GatherEdge(ShardEngine engine, int edge) => GatherBlocks(engine, edge, w => w.Values);

    /// <summary>An optimizer state tensor of the edge, assembled like the weights.</summary>
    public static float[] GatherEdgeState(ShardEngine engine, int edge, int state) => GatherBlocks(engine, edge, w => state == 1 ? w.State1 : w.State2);

    /// <summary>The layer's full bias vector (or a state vector of it: 0 = values, 1, 2 = optimizer state).</summary>
    public static float[] GatherBias(ShardEngine engine, int layer, int part = 0)
    {
        var bias = engine.Biases[layer]!;
        var local = part switch { 0 => bias.Values, 1 => bias.State1, _ => bias.State2 };
        var ranges = engine.RangesOf(layer);
        var counts = ranges.Select(r => r.Count).ToArray();
        var full = new float[counts.Sum()];
        engine.Communicator.AllGather(local, full, counts);
        return full;
    }

    /// <summary>Writes the full W[in][out] (or a state tensor) into this shard's block.</summary>
    public static void ScatterEdge(ShardEngine engine, int edge, ReadOnlySpan<float> full, int part)
    {
        var w = engine.Weights[edge];
        var target = part switch { 0 => w.Values, 1 => w.State1, _ => w.State2 };
        var width = engine.Plan.Layer(w.Edge.Target).Width;
        for (var r = 0; r < w.Rows; r++)
        {
            full.Slice(((w.RowStart + r) * width) + w.ColumnStart, w.Columns).CopyTo(target.AsSpan(r * w.Columns, w.Columns));
        }
    }

    /// <summary>Writes a full bias (or bias state) vector into this shard's slice.</summary>
    public static void ScatterBias(ShardEngine engine, int layer, ReadOnlySpan<float> full, int part)
    {
        var bias = engine.Biases[layer]!;
        var target = part switch { 0 => bias.Values, 1 => bias.State1, _ => bias.State2 };
        full.Slice(bias.Units.Start, bias.Units.Count).CopyTo(target);
    }

    private static float[] GatherBlocks(ShardEngine engine, int edge, Func<EdgeWeights, float[]> select)
    {
        var w = engine.Weights[edge];
        var plan = engine.Plan;
        var e = plan.Edges[edge];
        var inWidth = plan.Layer(e.Source).Width;
        var outWidth = plan.Layer(e.Target).Width;
        var shards = engine.Communicator.Size;
        // Every shard's block shape follows from the split and the unit ranges.
        var split = e.Split;
        var counts = new int[shards];
        var blocks = new (int RowStart, int Rows, int ColumnStart, int Columns)[shards];
        for (var s = 0; s < shards; s++)
        {
            var block = shards == 1
                ? (0, inWidth, 0, outWidth)
                : split == EdgeSplit.ByInputRows
                    ? (engine.RangesOf(e.Source)[s].Start, engine.RangesOf(e.Source)[s].Count, 0, outWidth)
                    : (0, inWidth, engine.RangesOf(e.Target)[s].Start, engine.RangesOf(e.Target)[s].Count);
            blocks[s] = block;
            counts[s] = checked(block.Item2 * block.Item4);
        }
        var gathered = new float[counts.Sum()];
        engine.Communicator.AllGather(select(w), gathered, counts);
        if (shards == 1) return gathered;
        var full = new float[(long)inWidth * outWidth];
        var at = 0;
        for (var s = 0; s < shards; s++)
        {
            var (rowStart, rows, columnStart, columns) = blocks[s];
            for (var r = 0; r < rows; r++)
            {
                gathered.AsSpan(at + (r * columns), columns).CopyTo(full.AsSpan(((rowStart + r) * outWidth) + columnStart, columns));
            }
            at += counts[s];
        }
        return full;
    }
}
