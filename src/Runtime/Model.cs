using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Runtime;

/// <summary>
/// Base of every generated network class: owns the parameters (sharded over <see cref="Devices"/>),
/// trains, evaluates, predicts, recommends and checkpoints. Generated subclasses add typed members.
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

    /// <summary>The network as built (widths bound).</summary>
    public NetworkSpec Spec { get; protected set; }

    /// <summary>The generated fused kernels.</summary>
    protected KernelSet Kernels { get; }

    /// <summary>Where the model runs.</summary>
    public DeviceGroup Devices { get; }

    /// <summary>
    /// Called at the start of training and evaluation so changes made to typed options since construction take
    /// effect (learning rate, batch, epochs…). Layer structure must not change.
    /// </summary>
    protected virtual NetworkSpec RefreshSpec() => Spec;

    /// <summary>Trains on <paramref name="data"/>.</summary>
    public TrainingReport Train(NetworkData data, TrainingOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Loss on <paramref name="inputs"/> and ranking metrics of the output against <paramref name="heldOut"/> (items not in the inputs).</summary>
    public EvaluationReport Evaluate(NetworkData inputs, SparseMatrix heldOut, int k = 10)
        => throw new NotImplementedException();

    /// <summary>Scores of the (single) output layer for every row of <paramref name="inputs"/>.</summary>
    public DenseMatrix Predict(NetworkData inputs)
        => throw new NotImplementedException();

    /// <summary>Top-<paramref name="k"/> columns of the output for one row, optionally skipping the row's own input items.</summary>
    public Recommendation[] Recommend(NetworkData inputs, int row, int k, bool excludeSeen = true)
        => throw new NotImplementedException();

    /// <summary>Writes a safetensors checkpoint atomically.</summary>
    public void Save(string path) => throw new NotImplementedException();

    /// <summary>Loads a checkpoint written by <see cref="Save"/> after validating it against this network.</summary>
    public void Load(string path) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases buffers.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
