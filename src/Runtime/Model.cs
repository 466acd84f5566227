using System.Runtime.CompilerServices;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Runtime;

/// <summary>
/// Base of every generated network class: owns the parameters (sharded over <see cref="Devices"/>),
/// trains, evaluates, predicts, recommends and checkpoints. Generated subclasses add typed members
/// (options, layers, typed overloads taking one matrix per input layer).
/// </summary>
/// <remarks>
/// Under MPI every rank runs the same program and makes the same calls (SPMD); each rank's model holds its shard.
/// In one process, a group of P CPU shards runs each call on P threads. A model is not thread-safe: make one call at
/// a time (several models may train concurrently, each with its own communicators).
/// </remarks>
public abstract partial class Model : IDisposable
{
    private readonly ConditionalWeakTable<NetworkData, CachedShards> _shardedData = new();
    private readonly IReadOnlyList<ICommunicator> _communicators;
    private readonly IShardBackend[] _engines;
    private NetworkPlan _plan;
    private TrainingPosition _position;
    private bool _disposed;

    /// <summary>Builds the model: allocates and initialises parameters from <paramref name="spec"/>'s seed.</summary>
    protected Model(NetworkSpec spec, KernelSet kernels, DeviceGroup? devices = null)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Kernels = kernels ?? throw new ArgumentNullException(nameof(kernels));
        Devices = devices ?? DeviceGroup.Cpu();
        _plan = NetworkPlan.Build(spec, Devices.ShardCount);
        _communicators = Devices.CreateShardCommunicators();
        var created = new List<ShardSchedule>();
        try
        {
            // The device group decides where each shard computes (CPU, a GPU, the GPU simulator); the schedule is the same.
            var request = new Engine.Devices.ModelDeviceRequest(GetType(), spec, kernels);
            var local = Devices.LocalShards;
            for (var i = 0; i < _communicators.Count; i++)
            {
                var device = Devices.DeviceFactory.Create(local[i], i, request);
                try
                {
                    created.Add(new ShardSchedule(_plan, kernels, device, _communicators[i]));
                }
                catch
                {
                    device.Dispose();
                    throw;
                }
            }
            _engines = created.ToArray();
        }
        catch
        {
            foreach (var e in created) e.Dispose();
            foreach (var c in _communicators) c.Dispose();
            throw;
        }
    }

    /// <summary>The shards of this process (tests reach each shard's device through them).</summary>
    internal IReadOnlyList<IShardBackend> ShardBackends => _engines;

    /// <summary>The network as built (widths bound), with the hyperparameters of the last training or evaluation call.</summary>
    public NetworkSpec Spec { get; private set; }

    /// <summary>The generated fused kernels.</summary>
    protected KernelSet Kernels { get; }

    /// <summary>Where the model runs.</summary>
    public DeviceGroup Devices { get; }

    /// <summary>Optimizer steps taken since the model was created (continued by loading a checkpoint).</summary>
    public long Step => _position.Step;

    /// <summary>Epochs completed since the model was created (continued by loading a checkpoint).</summary>
    public long Epoch => _position.Epoch;

    /// <summary>
    /// Called at the start of every training and evaluation call so that changes made to the typed options since
    /// construction take effect (learning rate, batch, epochs…). The layer structure must not change.
    /// </summary>
    protected virtual NetworkSpec RefreshSpec() => Spec;

    /// <summary>Trains on <paramref name="data"/> (one matrix per input layer; targets come from the input they name).</summary>
    /// <remarks>
    /// Continues from where the previous call (or a loaded checkpoint) stopped: two calls of one epoch each train
    /// exactly like one call of two. Cancellation stops after the current step, on every shard, and throws
    /// <see cref="OperationCanceledException"/>; the model keeps every completed step.
    /// </remarks>
    public TrainingReport Train(NetworkData data, TrainingOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ThrowIfDisposed();
        Prepare();
        var run = new TrainingRun(
            options?.Epochs ?? Spec.Training.Epochs,
            options?.Batch ?? Spec.Training.Batch,
            options?.EarlyStoppingPatience,
            RestoreBest: options is { EarlyStoppingPatience: not null, RestoreBestWeights: true });
        if (run.Epochs < 0) throw new ArgumentOutOfRangeException(nameof(options), run.Epochs, "Epochs must be 0 or more.");
        if (run.Batch <= 0) throw new ArgumentOutOfRangeException(nameof(options), run.Batch, "The batch size must be positive.");
        if (run.Patience is <= 0) throw new ArgumentOutOfRangeException(nameof(options), run.Patience, "Early-stopping patience must be positive.");
        if (run.Patience is not null && options!.Validation is null) throw new ArgumentException("Early stopping needs validation data (TrainingOptions.Validation).", nameof(options));
        var shards = Shards(data);
        var validation = options?.Validation is { } v ? Shards(v) : null;
        (ShardData[] Shards, RankingValidation Check)? ranking = options?.Ranking is { } r ? RankingShards(r) : null;
        var start = _position;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = RunOnShards((engine, i) => ShardTrainer.Run(engine, shards[i], validation?[i], ranking?.Shards[i], ranking?.Check, run, start, i == 0 ? progress : null, cancellationToken));
        var result = results[0];
        _position = result.Position;
        if (result.Cancelled) throw new OperationCanceledException($"Training was cancelled after step {_position.Step}.", cancellationToken);
        return new TrainingReport(result.Epochs, result.Steps, result.StoppedEarly, clock.Elapsed, result.SamplesPerSecond, result.RestoredEpoch);
    }

    /// <summary>Checks a per-epoch ranking validation against the model and splits its inputs over the shards.</summary>
    private (ShardData[] Shards, RankingValidation Check) RankingShards(RankingValidation ranking)
    {
        ArgumentNullException.ThrowIfNull(ranking.Inputs, nameof(TrainingOptions.Ranking));
        ArgumentNullException.ThrowIfNull(ranking.HeldOut, nameof(TrainingOptions.Ranking));
        if (ranking.K <= 0) throw new ArgumentOutOfRangeException(nameof(TrainingOptions.Ranking), ranking.K, "The ranking validation's K must be positive.");
        if (ranking.HeldOut.Rows != ranking.Inputs.Rows)
            throw new ArgumentException($"The ranking validation's held-out matrix has {ranking.HeldOut.Rows} rows but its inputs have {ranking.Inputs.Rows}.", nameof(TrainingOptions.Ranking));
        var outputWidth = Spec.Layers[_engines[0].OutputLayer(null)].Width;
        if (ranking.HeldOut.Columns != outputWidth)
            throw new ArgumentException($"The ranking validation's held-out matrix has {ranking.HeldOut.Columns} columns but the output layer has {outputWidth} units.", nameof(TrainingOptions.Ranking));
        if (ranking.Inputs.Rows == 0) throw new ArgumentException("The ranking validation has no rows.", nameof(TrainingOptions.Ranking));
        return (Shards(ranking.Inputs), ranking);
    }

    /// <summary>Mean loss per example over <paramref name="data"/>, without training (no dropout, no denoising).</summary>
    public double Loss(NetworkData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ThrowIfDisposed();
        Prepare();
        var shards = Shards(data);
        return RunOnShards((engine, i) => ShardEvaluation.MeanLoss(engine, shards[i], Spec.Training.Batch))[0];
    }

    /// <summary>
    /// Loss on <paramref name="inputs"/> and ranking metrics of the output against <paramref name="heldOut"/>: for each row,
    /// the top-<paramref name="k"/> columns not present in its input are compared with its held-out columns
    /// (rows with none are skipped; definitions in docs/data.md).
    /// </summary>
    public EvaluationReport Evaluate(NetworkData inputs, SparseMatrix heldOut, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(heldOut);
        if (heldOut.Rows != inputs.Rows) throw new ArgumentException($"The held-out matrix has {heldOut.Rows} rows but the inputs have {inputs.Rows}.", nameof(heldOut));
        var outputWidth = Spec.Layers[_engines[0].OutputLayer(null)].Width;
        if (heldOut.Columns != outputWidth) throw new ArgumentException($"The held-out matrix has {heldOut.Columns} columns but the output layer has {outputWidth} units.", nameof(heldOut));
        var loss = Loss(inputs);
        var recommendations = RecommendAll(inputs, k, excludeSeen: true);
        var ranked = recommendations.Select(r => r.Select(x => x.Column).ToArray()).ToArray();
        var scores = Evaluation.RankingMetrics.Compute(ranked, heldOut, k);
        return new EvaluationReport(loss, k, scores.PrecisionAtK, scores.RecallAtK, scores.NdcgAtK, scores.UsersEvaluated);
    }

    /// <summary>Activations of the output layer (the only one, or the one named) for every row of <paramref name="inputs"/>.</summary>
    public DenseMatrix Predict(NetworkData inputs, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ThrowIfDisposed();
        Prepare();
        var shards = Shards(inputs);
        var layer = _engines[0].OutputLayer(output);
        var width = Spec.Layers[layer].Width;
        var result = new DenseMatrix(inputs.Rows, width);
        var batch = Spec.Training.Batch;
        RunOnShards((engine, i) =>
        {
            var order = Enumerable.Range(0, inputs.Rows).ToArray();
            var buffer = new float[batch * width];
            for (var first = 0; first < inputs.Rows; first += batch)
            {
                var size = Math.Min(batch, inputs.Rows - first);
                engine.LoadBatch(shards[i], order.AsSpan(first, size), training: false, 0, 0);
                engine.Forward(size, training: false, 0);
                engine.CopyFullActivations(layer, size, buffer);
                if (i == 0) buffer.AsSpan(0, size * width).CopyTo(result.Data.AsSpan(first * width));
            }
            return 0;
        });
        return result;
    }

    /// <summary>Top-<paramref name="k"/> columns of the output for one row, optionally skipping the columns present in the row's input.</summary>
    public Recommendation[] Recommend(NetworkData inputs, int row, int k, bool excludeSeen = true)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if ((uint)row >= (uint)Math.Max(inputs.Rows, 0)) throw new ArgumentOutOfRangeException(nameof(row), row, $"The data has {inputs.Rows} rows.");
        return TopK(inputs, new[] { row }, k, excludeSeen, null)[0];
    }

    /// <summary>Top-<paramref name="k"/> columns of the output for every row.</summary>
    public Recommendation[][] RecommendAll(NetworkData inputs, int k, bool excludeSeen = true)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return TopK(inputs, Enumerable.Range(0, inputs.Rows).ToArray(), k, excludeSeen, null);
    }

    /// <summary>The weights of the edge <paramref name="source"/> → <paramref name="layer"/> in <c>nn.Linear</c> layout [out, in].</summary>
    public DenseMatrix GetWeights(string layer, string source)
    {
        ThrowIfDisposed();
        var edge = FindEdge(layer, source);
        var s = Spec[source];
        var t = Spec[layer];
        return new DenseMatrix(t.Width, s.Width, Transpose(ParameterTransfer.GatherEdge(_engines, edge), s.Width, t.Width));
    }

    /// <summary>The biases of <paramref name="layer"/>.</summary>
    public float[] GetBias(string layer)
    {
        ThrowIfDisposed();
        var index = Spec.IndexOf(layer);
        if (index < 0 || Spec.Layers[index].Kind == LayerKind.Input) throw new ArgumentException($"'{layer}' is not a hidden or output layer of '{Spec.Name}'.", nameof(layer));
        return ParameterTransfer.GatherBias(_engines, index);
    }

    private int FindEdge(string layer, string source)
    {
        var t = Spec.IndexOf(layer);
        var s = Spec.IndexOf(source);
        var edge = t < 0 || s < 0 ? null : _plan.Edges.FirstOrDefault(e => e.Target == t && e.Source == s);
        return edge?.Index ?? throw new ArgumentException($"'{Spec.Name}' has no edge {source} → {layer}.");
    }

    private Recommendation[][] TopK(NetworkData inputs, int[] rows, int k, bool excludeSeen, string? output)
    {
        ThrowIfDisposed();
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be positive.");
        Prepare();
        var shards = Shards(inputs);
        var layer = _engines[0].OutputLayer(output);
        var target = _plan.Targets[layer];
        var batch = Spec.Training.Batch;
        var result = new Recommendation[rows.Length][];
        RunOnShards((engine, i) =>
        {
            var seen = excludeSeen && target >= 0 ? shards[i].FullSparse[target] : null;
            for (var first = 0; first < rows.Length; first += batch)
            {
                var size = Math.Min(batch, rows.Length - first);
                var batchRows = rows.AsSpan(first, size);
                engine.LoadBatch(shards[i], batchRows, training: false, 0, 0);
                engine.Forward(size, training: false, 0);
                var (columns, scores, counts) = engine.TopK(layer, size, k, seen, batchRows);
                if (i != 0) continue;
                for (var b = 0; b < size; b++)
                {
                    var recs = new Recommendation[counts[b]];
                    for (var j = 0; j < recs.Length; j++) recs[j] = new Recommendation(columns[(b * k) + j], scores[(b * k) + j]);
                    result[first + b] = recs;
                }
            }
            return 0;
        });
        return result;
    }

    /// <summary>Reads the typed options into the spec and checks that the structure did not change.</summary>
    private void Prepare()
    {
        var spec = RefreshSpec();
        if (ReferenceEquals(spec, Spec)) return;
        StructureCheck.EnsureSame(Spec, spec);
        Spec = spec;
        _plan = NetworkPlan.Build(spec, Devices.ShardCount);
        foreach (var e in _engines) e.Refresh(_plan);
    }

    private ShardData[] Shards(NetworkData data)
    {
        var cached = _shardedData.GetValue(data, _ => new CachedShards());
        lock (cached)
        {
            var bound = data.Layers.Count();
            if (cached.Shards is null || cached.BoundLayers != bound || !ReferenceEquals(cached.Weights, data.WeightArray))
            {
                cached.Shards = _engines.Select(e => ShardData.Build(_plan, e.Ranges.ToArray(), data)).ToArray();
                cached.BoundLayers = bound;
                cached.Weights = data.WeightArray;
            }
            return cached.Shards;
        }
    }

    /// <summary>Runs <paramref name="body"/> on every shard of this process (inline for one, one thread each for several) and returns each shard's result.</summary>
    private T[] RunOnShards<T>(Func<IShardBackend, int, T> body) => ShardRunner.Run(_engines, _communicators, body);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases buffers and communicators.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        if (disposing)
        {
            foreach (var e in _engines) (e as IDisposable)?.Dispose();
            foreach (var c in _communicators) c.Dispose();
        }
    }

    private sealed class CachedShards
    {
        public ShardData[]? Shards;
        public int BoundLayers;
        public float[]? Weights;
    }
}
