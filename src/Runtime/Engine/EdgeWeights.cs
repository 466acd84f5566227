namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// One shard's block of an edge's weight matrix W[in][out] (row-major, leading dimension <see cref="Columns"/>),
/// with the optimizer state shaped like it. The block is rows [RowStart, RowStart+Rows) × columns
/// [ColumnStart, ColumnStart+Columns) of the global matrix; which side is split depends on the edge.
/// </summary>
internal sealed class EdgeWeights
{
    public EdgeWeights(EdgePlan edge, int rowStart, int rows, int columnStart, int columns, int stateCount)
    {
        Edge = edge;
        RowStart = rowStart;
        Rows = rows;
        ColumnStart = columnStart;
        Columns = columns;
        var size = checked((long)rows * columns);
        if (size > Array.MaxLength) throw new InvalidOperationException($"Edge {edge.Index}: a {rows}×{columns} weight block does not fit one array; use more shards.");
        Values = new float[size];
        State1 = stateCount >= 1 ? new float[size] : Array.Empty<float>();
        State2 = stateCount >= 2 ? new float[size] : Array.Empty<float>();
    }

    public EdgePlan Edge { get; }
    public int RowStart { get; }
    public int Rows { get; }
    public int ColumnStart { get; }
    public int Columns { get; }

    /// <summary>Weights of the block, row-major.</summary>
    public float[] Values { get; }

    /// <summary>First optimizer state tensor (empty when the rule keeps none).</summary>
    public float[] State1 { get; }

    /// <summary>Second optimizer state tensor (empty when the rule keeps fewer than two).</summary>
    public float[] State2 { get; }
}

/// <summary>One shard's slice of a layer's biases, with optimizer state.</summary>
internal sealed class LayerBias
{
    public LayerBias(int layer, UnitRange units, int stateCount)
    {
        Layer = layer;
        Units = units;
        Values = new float[units.Count];
        State1 = stateCount >= 1 ? new float[units.Count] : Array.Empty<float>();
        State2 = stateCount >= 2 ? new float[units.Count] : Array.Empty<float>();
    }

    public int Layer { get; }
    public UnitRange Units { get; }
    public float[] Values { get; }
    public float[] State1 { get; }
    public float[] State2 { get; }
}
