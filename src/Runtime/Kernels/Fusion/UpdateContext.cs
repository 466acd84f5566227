namespace DestinyDsl.Runtime.Kernels.Fusion;

/// <summary>Per-step values an optimizer update reads (they change at run time: schedules, tuning, step count).</summary>
public readonly record struct UpdateContext(
    float LearningRate,
    float Momentum,
    float Decay,
    float Beta1,
    float Beta2,
    float Epsilon,
    float WeightDecay,
    float GradientScale,
    long Step);
