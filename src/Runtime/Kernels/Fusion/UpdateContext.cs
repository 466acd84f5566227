namespace DestinyDsl.Runtime.Kernels.Fusion;

/// <summary>
/// Per-step values an optimizer update reads. They change at run time (options, tuning, step count), so they are
/// arguments, not constants. <see cref="GradientScale"/> turns batch sums into means (1/batch).
/// <see cref="BiasCorrection1"/> and <see cref="BiasCorrection2"/> are Adam's <c>1 − β₁ᵗ</c> and <c>1 − β₂ᵗ</c> for this step.
/// </summary>
public readonly record struct UpdateContext(
    float LearningRate,
    float Momentum,
    float Decay,
    float Beta1,
    float Beta2,
    float Epsilon,
    float WeightDecay,
    float L1Decay,
    float GradientScale,
    long Step,
    float BiasCorrection1,
    float BiasCorrection2);
