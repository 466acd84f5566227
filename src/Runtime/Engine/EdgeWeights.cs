using DestinyDsl.Runtime.Engine.Devices;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// One shard's block of an edge's weight matrix W[in][out] (row-major, leading dimension <see cref="Columns"/>) on
/// its device, with the optimizer state shaped like it. The block is rows [RowStart, RowStart+Rows) × columns
/// [ColumnStart, ColumnStart+Columns) of the global matrix; which side is split depends on the edge.
/// </summary>
internal sealed class EdgeWeights(EdgePlan edge, int rowStart, int rows, int columnStart, int columns, ParameterTensors parameters)
{
    public EdgePlan Edge { get; } = edge;
    public int RowStart { get; } = rowStart;
    public int Rows { get; } = rows;
    public int ColumnStart { get; } = columnStart;
    public int Columns { get; } = columns;

    /// <summary>Number of weights in the block.</summary>
    public long Count => (long)Rows * Columns;

    /// <summary>The weights and their optimizer state, on the device.</summary>
    public ParameterTensors Parameters { get; } = parameters;

    /// <summary>The weights.</summary>
    public DeviceTensor Values => Parameters.Values;
}

/// <summary>One shard's slice of a layer's biases, with optimizer state, on its device.</summary>
internal sealed class LayerBias(int layer, UnitRange units, ParameterTensors parameters)
{
    public int Layer { get; } = layer;
    public UnitRange Units { get; } = units;
    public ParameterTensors Parameters { get; } = parameters;
    public DeviceTensor Values => Parameters.Values;
}
