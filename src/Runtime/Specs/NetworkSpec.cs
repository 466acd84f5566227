namespace DestinyDsl.Runtime.Specs;

/// <summary>The loss and its parameters (targets and scales apply to the marginal cross-entropies).</summary>
public sealed record LossSpec(LossKind Kind, float OneTarget = 0.9f, float ZeroTarget = 0.1f, float OneScale = 1f, float ZeroScale = 1f);

/// <summary>The optimizer and its hyperparameters.</summary>
public sealed record OptimizerSpec(
    OptimizerKind Kind,
    float LearningRate,
    float Momentum,
    float Decay,
    float Beta1,
    float Beta2,
    float Epsilon,
    float WeightDecay);

/// <summary>Training-loop settings.</summary>
public sealed record TrainingSpec(
    int Batch,
    int Epochs,
    float Denoising,
    bool Shuffle,
    ulong Seed,
    float SparsenessP,
    float SparsenessBeta);

/// <summary>
/// A whole network as the runtime executes it, built by generated code from the .dnet file's values
/// and the model's typed options.
/// </summary>
/// <param name="SourceHash">Hash of the .dnet network's semantic content; written to checkpoints.</param>
public sealed record NetworkSpec(
    string Name,
    string SourceHash,
    IReadOnlyList<LayerSpec> Layers,
    LossSpec Loss,
    OptimizerSpec Optimizer,
    TrainingSpec Training)
{
    /// <summary>Finds a layer by name.</summary>
    public LayerSpec this[string name] =>
        Layers.FirstOrDefault(l => l.Name == name) ?? throw new KeyNotFoundException($"Network '{Name}' has no layer '{name}'.");
}
