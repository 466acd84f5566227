using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// One shard of a model: its slice of every layer's units, its blocks of every weight matrix with their optimizer
/// state, and the buffers of one mini-batch. Every shard of a group runs the same code on its slice and meets the
/// others only in the communicator's collectives (SPMD), whether the shards are threads of one process or MPI ranks.
/// </summary>
/// <remarks>The CPU backend (<see cref="IShardBackend"/>). Split in files by phase: construction (here), forward, backward, inference, parameters.</remarks>
internal sealed partial class ShardEngine : IShardBackend
{
    private NetworkPlan _plan;
    private readonly KernelSet _kernels;
    private readonly ICommunicator _comm;
    private readonly int _shards;
    private readonly int _rank;
    private readonly UnitRange[][] _allRanges;   // [layer][shard]
    private readonly UnitRange[] _ranges;        // [layer] this shard's
    private readonly int[][] _rowCounts;         // [layer][shard] units per shard (collective counts per batch row)
    private readonly EdgeWeights[] _weights;     // [edge]
    private readonly LayerBias?[] _biases;       // [layer]

    // Mini-batch buffers, sized for the largest batch seen so far.
    private int _capacity;
    private float[][] _activations = Array.Empty<float[]>();    // [layer] [batch][local units] (dense inputs too)
    private float[][] _deltas = Array.Empty<float[]>();         // [layer] [batch][local units]
    private float[]?[] _gathered = Array.Empty<float[]?>();     // [layer] [batch][all units], row-major (P > 1)
    private float[]?[] _gatheredDeltas = Array.Empty<float[]?>();
    private float[] _scratch = Array.Empty<float>();            // block-major collective staging
    private float[] _scratch2 = Array.Empty<float>();
    private readonly SparseBatch?[] _sparseInputs;              // [layer]
    private readonly SparseBatch?[] _sparseTargets;             // [output layer], null when shared with the input
    private readonly BatchTargets?[] _targets;                  // [output layer]
    private float[][] _denseTargets = Array.Empty<float[]>();
    private double[] _rowLoss = Array.Empty<double>();
    private readonly bool[] _deltaWritten;

    public ShardEngine(NetworkPlan plan, KernelSet kernels, ICommunicator comm)
    {
        _plan = plan;
        _kernels = kernels;
        _comm = comm;
        _shards = comm.Size;
        _rank = comm.Rank;
        if (_shards != plan.Shards) throw new ArgumentException($"The communicator has {_shards} ranks but the plan was built for {plan.Shards} shards.");
        var layers = plan.Spec.Layers;
        if (kernels.Layers.Count != layers.Count)
            throw new ArgumentException($"The kernel set has {kernels.Layers.Count} entries but '{plan.Spec.Name}' has {layers.Count} layers.");
        for (var i = 0; i < layers.Count; i++)
        {
            var k = kernels.Layers[i];
            var ok = layers[i].Kind switch
            {
                LayerKind.Input => k is null,
                LayerKind.Hidden => k is HiddenKernels,
                _ => k is OutputKernels,
            };
            if (!ok) throw new ArgumentException($"The kernels of layer '{layers[i].Name}' do not match its kind {layers[i].Kind}.");
            if (layers[i].Kind != LayerKind.Input && k!.IsSoftmax && layers[i].Dropout > 0)
                throw new ArgumentException($"Layer '{layers[i].Name}' is softmax with dropout; dropout on a softmax layer is not supported.");
        }

        _allRanges = layers.Select(l => Enumerable.Range(0, _shards).Select(r => UnitRange.Of(l.Width, _shards, r)).ToArray()).ToArray();
        _ranges = _allRanges.Select(r => r[_rank]).ToArray();
        _rowCounts = layers.Select(l => UnitRange.Counts(l.Width, _shards)).ToArray();

        var stateCount = kernels.Update.StateCount;
        _weights = plan.Edges.Select(e => CreateBlock(e, stateCount)).ToArray();
        _biases = layers.Select((l, i) => l.Kind == LayerKind.Input ? null : new LayerBias(i, _ranges[i], stateCount)).ToArray();
        _sparseInputs = layers.Select(l => l.Kind == LayerKind.Input && l.Sparse ? new SparseBatch() : null).ToArray();
        _sparseTargets = new SparseBatch?[layers.Count];
        _targets = new BatchTargets?[layers.Count];
        _deltaWritten = new bool[layers.Count];
        Initialize();
    }

    public NetworkPlan Plan => _plan;

    public ICommunicator Communicator => _comm;

    public int Rank => _rank;

    /// <summary>This shard's units of every layer.</summary>
    public IReadOnlyList<UnitRange> Ranges => _ranges;

    /// <summary>Every shard's units of a layer.</summary>
    public IReadOnlyList<UnitRange> RangesOf(int layer) => _allRanges[layer];

    public IReadOnlyList<EdgeWeights> Weights => _weights;

    public IReadOnlyList<LayerBias?> Biases => _biases;

    private EdgeWeights CreateBlock(EdgePlan edge, int stateCount)
    {
        var block = BlockOf(edge.Index, _rank);
        return new EdgeWeights(edge, block.RowStart, block.Rows, block.ColumnStart, block.Columns, stateCount);
    }

    /// <summary>Sets every weight and bias to its initial value (a pure function of the seed and the element's global position).</summary>
    private void Initialize()
    {
        var seed = _plan.Spec.Training.Seed;
        foreach (var w in _weights)
        {
            var target = _plan.Layer(w.Edge.Target);
            WeightInitializer.Initialize(w, target.Init, _plan.Layer(w.Edge.Source).Width, target.Width, seed);
            Array.Clear(w.State1);
            Array.Clear(w.State2);
        }
        foreach (var b in _biases)
        {
            if (b is null) continue;
            WeightInitializer.Initialize(b, _plan.Layer(b.Layer).BiasInit);
            Array.Clear(b.State1);
            Array.Clear(b.State2);
        }
    }

    /// <summary>Makes sure the batch buffers hold <paramref name="batch"/> rows.</summary>
    private void EnsureCapacity(int batch)
    {
        if (batch <= _capacity) return;
        var layers = _plan.Spec.Layers;
        _capacity = batch;
        _activations = layers.Select((l, i) => l.Kind == LayerKind.Input && l.Sparse ? Array.Empty<float>() : new float[(long)batch * _ranges[i].Count]).ToArray();
        _deltas = layers.Select((l, i) => _plan.NeedsDelta(i) ? new float[(long)batch * _ranges[i].Count] : Array.Empty<float>()).ToArray();
        _gathered = layers.Select((l, i) => _shards > 1 && _plan.NeedsGatheredActivations(i) ? new float[(long)batch * l.Width] : null).ToArray();
        _gatheredDeltas = layers.Select((l, i) => _shards > 1 && _plan.NeedsGatheredDelta(i) ? new float[(long)batch * l.Width] : null).ToArray();
        var widest = layers.Max(l => l.Width);
        _scratch = _shards > 1 ? new float[(long)batch * widest] : Array.Empty<float>();
        _scratch2 = _shards > 1 ? new float[(long)batch * widest] : Array.Empty<float>();
        _denseTargets = layers.Select((l, i) => _plan.Targets[i] >= 0 && !_plan.Layer(_plan.Targets[i]).Sparse ? new float[(long)batch * _ranges[i].Count] : Array.Empty<float>()).ToArray();
        _rowLoss = new double[batch];
    }

    /// <summary>Activations of a layer as the GEMMs into its consumers read them: all units (gathered) when split.</summary>
    private float[] FullActivations(int layer) => _shards == 1 ? _activations[layer] : _gathered[layer]!;

    private float[] FullDeltas(int layer) => _shards == 1 ? _deltas[layer] : _gatheredDeltas[layer]!;

    /// <summary>Block-major counts of a [batch][layer] tensor split by this layer's units.</summary>
    private int[] BatchCounts(int layer, int batch) => _rowCounts[layer].Select(c => c * batch).ToArray();

    /// <summary>All-gathers a layer's local [batch][n] slices into a row-major [batch][N] buffer.</summary>
    private void GatherRows(int layer, float[] local, float[] full, int batch)
    {
        var counts = BatchCounts(layer, batch);
        var width = _plan.Layer(layer).Width;
        _comm.AllGather(local.AsSpan(0, counts[_rank]), _scratch.AsSpan(0, batch * width), counts);
        // Block-major [shard][batch][n_s] → row-major [batch][N].
        var at = 0;
        var ranges = _allRanges[layer];
        for (var s = 0; s < _shards; s++)
        {
            var n = ranges[s].Count;
            if (n == 0) continue;
            for (var b = 0; b < batch; b++)
            {
                _scratch.AsSpan(at + (b * n), n).CopyTo(full.AsSpan((b * width) + ranges[s].Start, n));
            }
            at += batch * n;
        }
    }

    /// <summary>Reduce-scatters a block-major [shard][batch][n_s] buffer of partial sums into this shard's [batch][n] slice (added when <paramref name="accumulate"/>).</summary>
    private void ReduceScatterRows(int layer, float[] blocks, float[] local, int batch, bool accumulate)
    {
        var counts = BatchCounts(layer, batch);
        var mine = counts[_rank];
        if (!accumulate)
        {
            _comm.ReduceScatter(blocks.AsSpan(0, batch * _plan.Layer(layer).Width), local.AsSpan(0, mine), counts);
            return;
        }
        _comm.ReduceScatter(blocks.AsSpan(0, batch * _plan.Layer(layer).Width), _scratch2.AsSpan(0, mine), counts);
        System.Numerics.Tensors.TensorPrimitives.Add(local.AsSpan(0, mine), _scratch2.AsSpan(0, mine), local.AsSpan(0, mine));
    }

    /// <summary>Offset of shard <paramref name="shard"/>'s block in a block-major [shard][batch][n_s] buffer.</summary>
    private int BlockOffset(int layer, int shard, int batch)
    {
        var at = 0;
        for (var s = 0; s < shard; s++) at += _rowCounts[layer][s] * batch;
        return at;
    }
}
