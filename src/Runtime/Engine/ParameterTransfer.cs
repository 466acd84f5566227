namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Assembles whole parameter tensors (W[in][out] row-major, bias vectors and the other per-unit tensors, or their optimizer state) from the shards'
/// blocks, and writes whole tensors back into blocks: what GetWeights, checkpoints and loading need. When every shard
/// lives in this process the blocks are read and written directly. Otherwise (MPI, one shard per rank) the transfers
/// are collective: <see cref="GatherEdge"/> and <see cref="GatherBias"/> all-gather (every rank gets the tensor: the
/// public GetWeights/GetBias), while checkpoints use the rooted forms, in which only the writer (rank
/// <see cref="Writer"/>) holds whole tensors and every other rank sends or receives its own block only.
/// </summary>
/// <remarks>Parts: 0 = the parameters, 1 and 2 = the optimizer's state tensors.</remarks>
internal static class ParameterTransfer
{
    /// <summary>The edge's full W[in][out] (or a state tensor), row-major. Collective under MPI.</summary>
    public static float[] GatherEdge(IReadOnlyList<IShardBackend> shards, int edge, int part = 0)
    {
        var plan = shards[0].Plan;
        if (plan.Edges[edge].IsTied) return TransposeOwner(plan, edge, GatherEdge(shards, plan.Edges[edge].Owner, part))!;
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
        PlaceAll(gathered, blocks, full, outWidth);
        return full;
    }

    /// <summary>The layer's full bias vector (or a state vector of it). Collective under MPI.</summary>
    public static float[] GatherBias(IReadOnlyList<IShardBackend> shards, int layer, int part = 0, UnitTensor tensor = UnitTensor.Bias)
    {
        var plan = shards[0].Plan;
        var full = new float[plan.Layer(layer).Width];
        var ranges = shards[0].RangesOf(layer);
        if (shards.Count == plan.Shards)
        {
            foreach (var shard in shards)
            {
                var r = ranges[shard.Rank];
                shard.ReadUnits(layer, tensor, part, full.AsSpan(r.Start, r.Count));
            }
            return full;
        }
        var local = shards[0];
        var mine = new float[ranges[local.Rank].Count];
        local.ReadUnits(layer, tensor, part, mine);
        local.Communicator.AllGather(mine, full, ranges.Select(r => r.Count).ToArray());
        return full;
    }

    /// <summary>The rank that writes and reads checkpoint files.</summary>
    public const int Writer = 0;

    /// <summary>True when this process holds the writer's shard (always, when every shard lives here).</summary>
    public static bool IsWriter(IReadOnlyList<IShardBackend> shards) => shards[0].Rank == Writer;

    /// <summary>True when some shards live in other processes, so every transfer is a collective.</summary>
    public static bool IsDistributed(IReadOnlyList<IShardBackend> shards) => shards.Count < shards[0].Plan.Shards;

    /// <summary>
    /// The edge's full W[in][out] (or a state tensor) on the writer, null on every other rank, which only sends its own
    /// block (<see cref="Distributed.ICommunicator.Gather"/>). Collective under MPI.
    /// </summary>
    public static float[]? GatherEdgeToWriter(IReadOnlyList<IShardBackend> shards, int edge, int part)
    {
        if (!IsDistributed(shards)) return GatherEdge(shards, edge, part);
        var local = shards[0];
        var plan = local.Plan;
        if (plan.Edges[edge].IsTied) return TransposeOwner(plan, edge, GatherEdgeToWriter(shards, plan.Edges[edge].Owner, part));
        var blocks = Enumerable.Range(0, plan.Shards).Select(s => local.BlockOf(edge, s)).ToArray();
        var counts = blocks.Select(b => b.Count).ToArray();
        var mine = new float[counts[local.Rank]];
        local.ReadBlock(edge, part, mine);
        if (local.Rank != Writer)
        {
            local.Communicator.Gather(mine, Span<float>.Empty, counts, Writer);
            return null;
        }
        var gathered = new float[counts.Sum()];
        local.Communicator.Gather(mine, gathered, counts, Writer);
        var outWidth = plan.Layer(plan.Edges[edge].Target).Width;
        var full = new float[(long)plan.Layer(plan.Edges[edge].Source).Width * outWidth];
        PlaceAll(gathered, blocks, full, outWidth);
        return full;
    }

    /// <summary>The layer's full bias vector (or a state vector) on the writer, null elsewhere. Collective under MPI.</summary>
    public static float[]? GatherBiasToWriter(IReadOnlyList<IShardBackend> shards, int layer, int part, UnitTensor tensor = UnitTensor.Bias)
    {
        if (!IsDistributed(shards)) return GatherBias(shards, layer, part, tensor);
        var local = shards[0];
        var ranges = local.RangesOf(layer);
        var counts = ranges.Select(r => r.Count).ToArray();
        var mine = new float[counts[local.Rank]];
        local.ReadUnits(layer, tensor, part, mine);
        // The slices are contiguous in rank order: the gathered vector is the bias.
        var full = local.Rank == Writer ? new float[local.Plan.Layer(layer).Width] : null;
        local.Communicator.Gather(mine, full, counts, Writer);
        return full;
    }

    /// <summary>
    /// Writes an edge's W[in][out] (or a state tensor) into every shard's block. When some shards live in other
    /// processes, only the writer passes the tensor (the others pass null) and each rank receives its own block
    /// (<see cref="Distributed.ICommunicator.Scatter"/>). Collective under MPI.
    /// </summary>
    public static void ScatterEdgeFromWriter(IReadOnlyList<IShardBackend> shards, int edge, float[]? full, int part)
    {
        if (!IsDistributed(shards))
        {
            ScatterEdge(shards, edge, full ?? throw new ArgumentNullException(nameof(full)), part);
            return;
        }
        var local = shards[0];
        var plan = local.Plan;
        if (plan.Edges[edge].IsTied)
        {
            ScatterEdgeFromWriter(shards, plan.Edges[edge].Owner, full is null ? null : TransposeToOwner(plan, edge, full), part);
            return;
        }
        var blocks = Enumerable.Range(0, plan.Shards).Select(s => local.BlockOf(edge, s)).ToArray();
        var counts = blocks.Select(b => b.Count).ToArray();
        var packed = Array.Empty<float>();
        if (local.Rank == Writer)
        {
            ArgumentNullException.ThrowIfNull(full);
            // Every shard's block, row-major, in rank order: what the scatter hands out.
            var outWidth = plan.Layer(plan.Edges[edge].Target).Width;
            packed = new float[counts.Sum()];
            var at = 0;
            foreach (var block in blocks)
            {
                for (var r = 0; r < block.Rows; r++)
                {
                    full.AsSpan(((block.RowStart + r) * outWidth) + block.ColumnStart, block.Columns).CopyTo(packed.AsSpan(at, block.Columns));
                    at += block.Columns;
                }
            }
        }
        var mine = new float[counts[local.Rank]];
        local.Communicator.Scatter(packed, mine, counts, Writer);
        local.WriteBlock(edge, part, mine);
    }

    /// <summary>Writes a layer's bias (or bias state) vector into every shard's slice; the writer's vector is scattered under MPI.</summary>
    public static void ScatterBiasFromWriter(IReadOnlyList<IShardBackend> shards, int layer, float[]? full, int part, UnitTensor tensor = UnitTensor.Bias)
    {
        if (!IsDistributed(shards))
        {
            ScatterBias(shards, layer, full ?? throw new ArgumentNullException(nameof(full)), part, tensor);
            return;
        }
        var local = shards[0];
        var counts = local.RangesOf(layer).Select(r => r.Count).ToArray();
        if (local.Rank == Writer) ArgumentNullException.ThrowIfNull(full);
        var mine = new float[counts[local.Rank]];
        local.Communicator.Scatter(full ?? Array.Empty<float>(), mine, counts, Writer);
        local.WriteUnits(layer, tensor, part, mine);
    }

    /// <summary>Writes the full W[in][out] (or a state tensor) into every local shard's block.</summary>
    public static void ScatterEdge(IReadOnlyList<IShardBackend> shards, int edge, ReadOnlySpan<float> full, int part)
    {
        var plan = shards[0].Plan;
        if (plan.Edges[edge].IsTied)
        {
            ScatterEdge(shards, plan.Edges[edge].Owner, TransposeToOwner(plan, edge, full), part);
            return;
        }
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
    public static void ScatterBias(IReadOnlyList<IShardBackend> shards, int layer, ReadOnlySpan<float> full, int part, UnitTensor tensor = UnitTensor.Bias)
    {
        foreach (var shard in shards)
        {
            var r = shard.RangesOf(layer)[shard.Rank];
            shard.WriteUnits(layer, tensor, part, full.Slice(r.Start, r.Count));
        }
    }

    /// <summary>A tied edge's W[b][L] from its owner's W[a][b] (null stays null: not the writer).</summary>
    private static float[]? TransposeOwner(NetworkPlan plan, int tied, float[]? owner)
    {
        if (owner is null) return null;
        var e = plan.Edges[plan.Edges[tied].Owner];
        return Transpose(owner, plan.Layer(e.Source).Width, plan.Layer(e.Target).Width);
    }

    /// <summary>The owner's W[a][b] from a tied edge's W[b][L].</summary>
    private static float[] TransposeToOwner(NetworkPlan plan, int tied, ReadOnlySpan<float> full)
    {
        var e = plan.Edges[tied];
        return Transpose(full, plan.Layer(e.Source).Width, plan.Layer(e.Target).Width);
    }

    /// <summary>The transpose of a row-major [rows][columns] matrix.</summary>
    private static float[] Transpose(ReadOnlySpan<float> m, int rows, int columns)
    {
        var t = new float[m.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++) t[((long)c * rows) + r] = m[(r * columns) + c];
        }
        return t;
    }

    /// <summary>Places every shard's block, concatenated in rank order in <paramref name="gathered"/>, into <paramref name="full"/>.</summary>
    private static void PlaceAll(ReadOnlySpan<float> gathered, WeightBlock[] blocks, float[] full, int outWidth)
    {
        var at = 0;
        foreach (var block in blocks)
        {
            Place(gathered.Slice(at, block.Count), block, full, outWidth);
            at += block.Count;
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
