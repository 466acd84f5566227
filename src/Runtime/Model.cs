using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Runtime;

/// <summary>
/// Base of every generated network class: owns the parameters (sharded over <see cref="Devices"/>),
/// trains, evaluates, predicts, recommends and checkpoints. Generated subclasses add typed members
/// (options, layers, typed overloads taking one matrix per input layer).
/// </summary>
public abstract class Model : IDisposable
{
    /// <summary>Builds the model: allocates and initialises parameters from <paramref name="spec"/>'s seed.</summary>
    protected Model(NetworkSpec spec, KernelSet kernels, DeviceGroup? devices = null)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Kernels = kernels ?? throw new ArgumentNullException(nameof(kernels));
        Devices = devices ?? DeviceGroup.Cpu();
    }

    /// <summary>The network as built (widths bound), with the hyperparameters of the last training or evaluation call.</summary>
    public NetworkSpec Spec { get; private set; }

    /// <summary>The generated fused kernels.</summary>
    protected KernelSet Kernels { get; }

    /// <summary>Where the model runs.</summary>
    public DeviceGroup Devices { get; }

    /// <summary>Optimizer steps taken since the model was created (continued by <see cref="Load"/>).</summary>
    public long Step => throw new NotImplementedException();

    /// <summary>
    /// Called at the start of every training and evaluation call so that changes made to the typed options since
    /// construction take effect (learning rate, batch, epochs…). The layer structure must not change.
    /// </summary>
    protected virtual NetworkSpec RefreshSpec() => Spec;

    /// <summary>Trains on <paramref name="data"/> (one matrix per input layer; targets come from the input they name).</summary>
    public TrainingReport Train(NetworkData data, TrainingOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Mean loss per example over <paramref name="data"/>, without training (no dropout, no denoising).</summary>
    public double Loss(NetworkData data) => throw new NotImplementedException();

    /// <summary>Loss on <paramref name="inputs"/> and ranking metrics of the output against <paramref name="heldOut"/> (items not in the inputs).</summary>
    public EvaluationReport Evaluate(NetworkData inputs, SparseMatrix heldOut, int k = 10)
        => throw new NotImplementedException();

    /// <summary>Activations of the output layer (the only one, or the one named) for every row of <paramref name="inputs"/>.</summary>
    public DenseMatrix Predict(NetworkData inputs, string? output = null)
        => throw new NotImplementedException();

    /// <summary>Top-<paramref name="k"/> columns of the output for one row, optionally skipping the columns present in the row's input.</summary>
    public Recommendation[] Recommend(NetworkData inputs, int row, int k, bool excludeSeen = true)
        => throw new NotImplementedException();

    /// <summary>Top-<paramref name="k"/> columns of the output for every row.</summary>
    public Recommendation[][] RecommendAll(NetworkData inputs, int k, bool excludeSeen = true)
        => throw new NotImplementedException();

    /// <summary>The weights of the edge <paramref name="source"/> → <paramref name="layer"/> in <c>nn.Linear</c> layout [out, in].</summary>
    public DenseMatrix GetWeights(string layer, string source) => throw new NotImplementedException();

    /// <summary>The biases of <paramref name="layer"/>.</summary>
    public float[] GetBias(string layer) => throw new NotImplementedException();

    /// <summary>Writes a safetensors checkpoint atomically (weights, biases, optimizer state, step, RNG state, options).</summary>
    public void Save(string path) => throw new NotImplementedException();

    /// <summary>Loads a checkpoint written by <see cref="Save"/> after validating it against this network.</summary>
    public void Load(string path) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases buffers and shard threads.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
