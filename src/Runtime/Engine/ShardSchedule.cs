using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// One shard of a model, device-neutral: its slice of every layer's units, its blocks of every weight matrix with
/// their optimizer state, the buffers of one mini-batch, and the order of the work — which product, gather, epilogue
/// and collective runs when (DSSTNE's split: only the narrow layers' activations and deltas move). Every shard of a
/// group runs the same code on its slice and meets the others only in the communicator's collectives (SPMD), whether
/// the shards are threads of one process, GPUs or MPI ranks. What is computed is the device's job
/// (<see cref="IShardDevice"/>: the CPU's SIMD kernels or a GPU's generated ILGPU kernels).
/// </summary>
/// <remarks>Split in files by phase: construction (here), forward, backward, inference, parameters.</remarks>
internal sealed partial class ShardSchedule : IShardBackend, IDisposable
{
    private NetworkPlan _plan;
    private readonly KernelSet _kernels;         // the layers' traits (softmax, dropout, penalty); the device holds the code
    private readonly IShardDevice _device;
    private readonly ICommunicator _comm;
    private readonly int _shards;
    private readonly int _rank;
    private readonly UnitRange[][] _allRanges;   // [layer][shard]
    private readonly UnitRange[] _ranges;        // [layer] this shard's
    private readonly int[][] _rowCounts;         // [layer][shard] units per shard (collective counts per batch row)
    private readonly EdgeWeights[] _weights;     // [edge] (a tied edge: a transposed view of its owner's block)
    private readonly DeviceTensor?[] _tiedGradients; // [edge] owners of a tie: the summed gradient of the step
    private readonly LayerBias?[] _biases;       // [layer]

    // Mini-batch buffers on the device, sized for the largest batch seen so far.
    private int _capacity;
    private DeviceTensor[] _activations = Array.Empty<DeviceTensor>();    // [layer] [batch][local units] (dense inputs too)
    private DeviceTensor[] _deltas = Array.Empty<DeviceTensor>();         // [layer] [batch][local units]
    private DeviceTensor?[] _gathered = Array.Empty<DeviceTensor?>();     // [layer] [batch][all units], row-major (P > 1)
    private DeviceTensor?[] _gatheredDeltas = Array.Empty<DeviceTensor?>();
    private DeviceTensor? _blocks;                                        // block-major [shard][batch][n_s] partial products (P > 1)
    private DeviceTensor?[] _denseTargets = Array.Empty<DeviceTensor?>();
    private DeviceTensor? _penalty;
    private DeviceTensor? _denseSparse;                                   // [batch][rows] a tied owner's sparse input, densified
    private DeviceTensor? _exampleWeights;                                // [batch] the loaded rows' weights (weighted data only)

    // Host staging for collectives (a CPU device's buffers are host arrays, read and written in place).
    private float[] _scratch = Array.Empty<float>();
    private float[] _blocksOnHost = Array.Empty<float>();   // grown on first use, only by devices without host buffers
    private float[] _staging = Array.Empty<float>();
    private float[] _denseRows = Array.Empty<float>();
    private float[] _weightRows = Array.Empty<float>();

    private readonly SparseBatch?[] _sparseInputs;              // [layer] host CSR of the batch
    private readonly DeviceSparse?[] _deviceInputs;             // [layer] the same on the device
    private readonly SparseBatch?[] _sparseTargets;             // [output layer], null when shared with the input
    private readonly DeviceSparse?[] _deviceTargets;
    private readonly DeviceTargets?[] _targets;                 // [output layer]
    private readonly bool[] _deltaWritten;

    public ShardSchedule(NetworkPlan plan, KernelSet kernels, IShardDevice device, ICommunicator comm)
    {
        _plan = plan;
        _kernels = kernels;
        _device = device;
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
        // Owners first: a tied edge is a view of its owner's block (one parameter tensor, one optimizer state).
        _weights = new EdgeWeights[plan.Edges.Count];
        foreach (var e in plan.Edges.Where(e => !e.IsTied)) _weights[e.Index] = CreateBlock(e, stateCount);
        foreach (var e in plan.Edges.Where(e => e.IsTied)) _weights[e.Index] = TiedView(e, _weights[e.Owner]);
        _tiedGradients = CreateTiedGradients();
        _biases = layers.Select((l, i) => l.Kind == LayerKind.Input ? null : new LayerBias(i, _ranges[i], Parameters(_ranges[i].Count, stateCount))).ToArray();
        CreateBatchNorms(stateCount);
        _sparseInputs = layers.Select(l => l.Kind == LayerKind.Input && l.Sparse ? new SparseBatch() : null).ToArray();
        _deviceInputs = layers.Select(l => l.Kind == LayerKind.Input && l.Sparse ? device.AllocateSparse() : null).ToArray();
        _sparseTargets = new SparseBatch?[layers.Count];
        _deviceTargets = new DeviceSparse?[layers.Count];
        _targets = new DeviceTargets?[layers.Count];
        _deltaWritten = new bool[layers.Count];
        Initialize();
    }

    public NetworkPlan Plan => _plan;

    public ICommunicator Communicator => _comm;

    public int Rank => _rank;

    public int StateCount => _kernels.Update.StateCount;

    /// <summary>The network's CPU kernels (the schedule reads the layers' traits from them).</summary>
    public KernelSet Kernels => _kernels;

    /// <summary>The device this shard computes on.</summary>
    public IShardDevice Device => _device;

    /// <summary>This shard's units of every layer.</summary>
    public IReadOnlyList<UnitRange> Ranges => _ranges;

    /// <summary>Every shard's units of a layer.</summary>
    public IReadOnlyList<UnitRange> RangesOf(int layer) => _allRanges[layer];

    private EdgeWeights CreateBlock(EdgePlan edge, int stateCount)
    {
        var block = BlockOf(edge.Index, _rank);
        var size = checked((long)block.Rows * block.Columns);
        if (size > Array.MaxLength) throw new InvalidOperationException($"Edge {edge.Index}: a {block.Rows}×{block.Columns} weight block does not fit one array; use more shards.");
        return new EdgeWeights(edge, block.RowStart, block.Rows, block.ColumnStart, block.Columns, Parameters(size, stateCount));
    }

    private ParameterTensors Parameters(long size, int stateCount) => new(
        _device.Allocate(size),
        stateCount >= 1 ? _device.Allocate(size) : null,
        stateCount >= 2 ? _device.Allocate(size) : null);

    /// <summary>Sets every weight and bias to its initial value (a pure function of the seed and the element's global position).</summary>
    private void Initialize()
    {
        var seed = _plan.Spec.Training.Seed;
        foreach (var w in _weights)
        {
            if (w.Edge.IsTied) continue; // its owner's weights, initialised once by the owner's scheme
            var target = _plan.Layer(w.Edge.Target);
            var values = new float[w.Count];
            WeightInitializer.Initialize(w, values, target.Init, _plan.Layer(w.Edge.Source).Width, target.Width, seed);
            _device.Upload(values, w.Parameters.Values, 0);
            ClearStates(w.Parameters, w.Count);
        }
        foreach (var b in _biases)
        {
            if (b is null) continue;
            var values = new float[b.Units.Count];
            Array.Fill(values, _plan.Layer(b.Layer).BiasInit);
            _device.Upload(values, b.Parameters.Values, 0);
            ClearStates(b.Parameters, b.Units.Count);
        }
    }

    private void ClearStates(ParameterTensors p, long count)
    {
        if (p.State1 is { } s1) _device.Clear(s1, 0, count);
        if (p.State2 is { } s2) _device.Clear(s2, 0, count);
    }

    /// <summary>Makes sure the batch buffers hold <paramref name="batch"/> rows.</summary>
    private void EnsureCapacity(int batch)
    {
        if (batch <= _capacity) return;
        var layers = _plan.Spec.Layers;
        _capacity = batch;
        _activations = layers.Select((l, i) => _device.Allocate(l.Kind == LayerKind.Input && l.Sparse ? 0 : (long)batch * _ranges[i].Count)).ToArray();
        _deltas = layers.Select((l, i) => _device.Allocate(_plan.NeedsDelta(i) ? (long)batch * _ranges[i].Count : 0)).ToArray();
        _gathered = layers.Select((l, i) => _shards > 1 && _plan.NeedsGatheredActivations(i) ? _device.Allocate((long)batch * l.Width) : null).ToArray();
        _gatheredDeltas = layers.Select((l, i) => _shards > 1 && _plan.NeedsGatheredDelta(i) ? _device.Allocate((long)batch * l.Width) : null).ToArray();
        var widest = layers.Max(l => l.Width);
        _blocks = _shards > 1 ? _device.Allocate((long)batch * widest) : null;
        _scratch = _shards > 1 ? new float[(long)batch * widest] : Array.Empty<float>();
        _denseTargets = layers.Select((l, i) => _plan.Targets[i] >= 0 && !_plan.Layer(_plan.Targets[i]).Sparse ? _device.Allocate((long)batch * _ranges[i].Count) : null).ToArray();
    }

    /// <summary>Activations of a layer as the products into its consumers read them: all units (gathered) when split.</summary>
    private DeviceTensor FullActivations(int layer) => _shards == 1 ? _activations[layer] : _gathered[layer]!;

    private DeviceTensor FullDeltas(int layer) => _shards == 1 ? _deltas[layer] : _gatheredDeltas[layer]!;

    /// <summary>Block-major counts of a [batch][layer] tensor split by this layer's units.</summary>
    private int[] BatchCounts(int layer, int batch) => _rowCounts[layer].Select(c => c * batch).ToArray();

    /// <summary>The first <paramref name="count"/> floats of a buffer as host memory: in place on a CPU device, else copied into <paramref name="staging"/>.</summary>
    private Span<float> ReadOnHost(DeviceTensor tensor, int count, ref float[] staging)
    {
        if (_device.TryGetHost(tensor, out var array)) return array.AsSpan(0, count);
        if (staging.Length < count) staging = new float[count];
        var span = staging.AsSpan(0, count);
        _device.Download(tensor, 0, span);
        return span;
    }

    /// <summary>Where to write a buffer's first <paramref name="count"/> floats on the host; <see cref="FinishWrite"/> makes them the buffer's.</summary>
    private Span<float> WriteOnHost(DeviceTensor tensor, int count, ref float[] staging)
    {
        if (_device.TryGetHost(tensor, out var array)) return array.AsSpan(0, count);
        if (staging.Length < count) staging = new float[count];
        return staging.AsSpan(0, count);
    }

    private void FinishWrite(DeviceTensor tensor, Span<float> written)
    {
        if (!_device.TryGetHost(tensor, out _)) _device.Upload(written, tensor, 0);
    }

    /// <summary>All-gathers a layer's local [batch][n] slices into a row-major [batch][N] buffer.</summary>
    private void GatherRows(int layer, DeviceTensor local, DeviceTensor full, int batch)
    {
        var counts = BatchCounts(layer, batch);
        var width = _plan.Layer(layer).Width;
        var mine = ReadOnHost(local, counts[_rank], ref _staging);
        _comm.AllGather(mine, _scratch.AsSpan(0, batch * width), counts);
        // Block-major [shard][batch][n_s] → row-major [batch][N].
        var destination = WriteOnHost(full, batch * width, ref _staging);
        var at = 0;
        var ranges = _allRanges[layer];
        for (var s = 0; s < _shards; s++)
        {
            var n = ranges[s].Count;
            if (n == 0) continue;
            for (var b = 0; b < batch; b++)
            {
                _scratch.AsSpan(at + (b * n), n).CopyTo(destination.Slice((b * width) + ranges[s].Start, n));
            }
            at += batch * n;
        }
        FinishWrite(full, destination);
    }

    /// <summary>Reduce-scatters the block-major [shard][batch][n_s] partial sums in <see cref="_blocks"/> into this shard's [batch][n] slice (added when <paramref name="accumulate"/>).</summary>
    private void ReduceScatterRows(int layer, DeviceTensor local, int batch, bool accumulate)
    {
        var counts = BatchCounts(layer, batch);
        var mine = counts[_rank];
        var total = batch * _plan.Layer(layer).Width;
        var blocks = ReadOnHost(_blocks!, total, ref _blocksOnHost);
        if (!accumulate)
        {
            var destination = WriteOnHost(local, mine, ref _staging);
            _comm.ReduceScatter(blocks, destination, counts);
            FinishWrite(local, destination);
            return;
        }
        if (_staging.Length < mine) _staging = new float[mine];
        var reduced = _staging.AsSpan(0, mine);
        _comm.ReduceScatter(blocks, reduced, counts);
        _device.AddFromHost(reduced, local, 0);
    }

    /// <summary>Offset of shard <paramref name="shard"/>'s block in a block-major [shard][batch][n_s] buffer.</summary>
    private int BlockOffset(int layer, int shard, int batch)
    {
        var at = 0;
        for (var s = 0; s < shard; s++) at += _rowCounts[layer][s] * batch;
        return at;
    }

    /// <summary>Releases the device.</summary>
    public void Dispose() => _device.Dispose();
}
