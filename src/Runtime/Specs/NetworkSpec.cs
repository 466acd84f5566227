namespace DestinyDsl.Runtime.Specs;

/// <summary>The loss and its parameters (targets and scales apply to the marginal cross-entropies).</summary>
public sealed record LossSpec(LossKind Kind, float OneTarget = 0.9f, float ZeroTarget = 0.1f, float OneScale = 1f, float ZeroScale = 1f);

/// <summary>The optimizer and its hyperparameters (those a kind does not use are ignored).</summary>
/// <param name="WeightDecay">L2 weight decay λ₂ (gradient += λ₂·w).</param>
/// <param name="L1Decay">L1 weight decay λ₁ (gradient += λ₁·sign(w)).</param>
/// <param name="Schedule">How the learning rate changes over epochs and steps; null keeps it constant.</param>
public sealed record OptimizerSpec(
    OptimizerKind Kind,
    float LearningRate,
    float Momentum = 0f,
    float Decay = 0.9f,
    float Beta1 = 0.9f,
    float Beta2 = 0.999f,
    float Epsilon = 1e-8f,
    float WeightDecay = 0f,
    float L1Decay = 0f,
    LearningRateScheduleSpec? Schedule = null)
{
    /// <summary>
    /// The learning rate of the update at global step <paramref name="step"/> in epoch <paramref name="epoch"/>
    /// (both zero-based, counted since the model was created), with <paramref name="stepsPerEpoch"/> mini-batches per
    /// epoch: <c>η·f</c> rounded once to float, f from <see cref="LearningRateScheduleSpec.Multiplier"/>. Every shard,
    /// rank and device computes the same value from the same position, so the scheduled rate is identical everywhere
    /// and a resumed model (which restores the position) continues with the rate it would have had.
    /// </summary>
    public float LearningRateAt(long epoch, long step, long stepsPerEpoch) =>
        Schedule is null ? LearningRate : (float)(LearningRate * Schedule.Multiplier(epoch, step, stepsPerEpoch));
}

/// <summary>Training-loop settings.</summary>
/// <param name="Denoising">Probability of dropping each non-zero of a sparse input (re-drawn every epoch).</param>
/// <param name="SparsenessP">Target mean activation of the KL sparseness penalty.</param>
/// <param name="SparsenessBeta">Weight of the sparseness penalty (0 = off).</param>
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

    /// <summary>Index of a layer by name, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Layers.Count; i++)
        {
            if (Layers[i].Name == name) return i;
        }
        return -1;
    }
}
