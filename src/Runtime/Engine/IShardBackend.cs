using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Engine;

/// <summary>The block of an edge's W[in][out] that one shard holds: rows × columns starting at (RowStart, ColumnStart).</summary>
internal readonly record struct WeightBlock(int RowStart, int Rows, int ColumnStart, int Columns)
{
    public int Count => checked(Rows * Columns);
}

/// <summary>
/// The work of one shard on one device: the seam where backends plug in. <see cref="ShardSchedule"/> is the CPU
/// backend; a CUDA backend implements the same phases with device buffers, kernels compiled from the same kernel
/// plan and cuBLAS products, and everything above it stays: the training loop (<see cref="ShardTrainer"/>), the
/// model API, the sharding plan, the communicators, checkpoints. One instance per shard; every method is called on
/// the shard's own thread, and the collectives inside them meet the other shards' (SPMD).
/// </summary>
/// <remarks>Parameter parts: 0 = the parameters, 1 and 2 = the optimizer's state tensors for them.</remarks>
internal interface IShardBackend
{
    NetworkPlan Plan { get; }

    ICommunicator Communicator { get; }

    /// <summary>How many optimizer state tensors each parameter tensor has (parts 1..StateCount).</summary>
    int StateCount { get; }

    /// <summary>This shard's index in the group.</summary>
    int Rank { get; }

    /// <summary>This shard's units of every layer.</summary>
    IReadOnlyList<UnitRange> Ranges { get; }

    /// <summary>Every shard's units of a layer.</summary>
    IReadOnlyList<UnitRange> RangesOf(int layer);

    /// <summary>Adopts a plan with new hyperparameters (same structure).</summary>
    void Refresh(NetworkPlan plan);

    /// <summary>Loads a mini-batch: sparse inputs (denoised when training), dense inputs, every output's targets.</summary>
    void LoadBatch(ShardData data, ReadOnlySpan<int> rows, bool training, long epoch, long step);

    /// <summary>Every layer forward; when training, dropout on and the outputs' deltas computed.</summary>
    void Forward(int batch, bool training, long step);

    /// <summary>The batch's summed loss, all-reduced with <paramref name="extra"/> (returned in <paramref name="flag"/>): the same on every shard.</summary>
    double BatchLoss(int batch, double extra, out double flag);

    /// <summary>Back-propagation with every parameter updated on the way.</summary>
    void Backward(int batch, long step, UpdateContext weights, UpdateContext biases);

    /// <summary>The first layer with a non-finite activation in the loaded batch, or null.</summary>
    string? FirstNonFiniteLayer(int batch);

    /// <summary>A layer's activations for the loaded batch, all units, row-major (collective when split).</summary>
    void CopyFullActivations(int layer, int batch, Span<float> destination);

    /// <summary>Top-k units of an output layer for each row of the loaded batch, merged across shards (collective).</summary>
    (int[] Columns, float[] Scores, int[] Counts) TopK(int layer, int batch, int k, SparseMatrix? seen, ReadOnlySpan<int> rows);

    /// <summary>Index of the only output layer, or of the named one.</summary>
    int OutputLayer(string? name);

    /// <summary>The block of an edge's weights held by shard <paramref name="shard"/>.</summary>
    WeightBlock BlockOf(int edge, int shard);

    /// <summary>Copies this shard's block of an edge (a parameter part) into <paramref name="destination"/>, row-major.</summary>
    void ReadBlock(int edge, int part, Span<float> destination);

    /// <summary>Writes this shard's block of an edge (a parameter part) from <paramref name="source"/>, row-major.</summary>
    void WriteBlock(int edge, int part, ReadOnlySpan<float> source);

    /// <summary>Copies this shard's slice of a layer's biases (a parameter part).</summary>
    void ReadBias(int layer, int part, Span<float> destination);

    /// <summary>Writes this shard's slice of a layer's biases (a parameter part).</summary>
    void WriteBias(int layer, int part, ReadOnlySpan<float> source);

    /// <summary>Copies this shard's slice of a layer's per-unit tensor (bias, batch-norm γ, β, running statistics) — a parameter part.</summary>
    void ReadUnits(int layer, UnitTensor tensor, int part, Span<float> destination);

    /// <summary>Writes this shard's slice of a layer's per-unit tensor (a parameter part).</summary>
    void WriteUnits(int layer, UnitTensor tensor, int part, ReadOnlySpan<float> source);
}
