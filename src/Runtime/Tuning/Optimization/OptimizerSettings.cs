namespace DestinyDsl.Runtime.Tuning.Optimization;

/// <summary>Whether the objective is to be made small (a loss) or large (precision@k).</summary>
public enum OptimizationDirection
{
    /// <summary>Smaller is better.</summary>
    Minimize,

    /// <summary>Larger is better.</summary>
    Maximize,
}

/// <summary>Settings of <see cref="BayesianOptimizer"/>. The defaults follow Spearmint (see docs/tuning.md).</summary>
public sealed record OptimizerSettings
{
    /// <summary>Seed of every random choice (initial design shift, MCMC, candidate sweeps): same seed and same calls ⇒ same suggestions.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Minimise or maximise the objective.</summary>
    public OptimizationDirection Direction { get; init; } = OptimizationDirection.Minimize;

    /// <summary>Quasi-random initial points before the GP takes over; never fewer than max(5, 2D) (D = unit-cube dimensions; a choice of k options counts k).</summary>
    public int InitialPoints { get; init; }

    /// <summary>
    /// True for a deterministic objective (the GP noise stays at 1e-6); false (default, training runs are noisy) to
    /// sample the noise variance under a horseshoe prior.
    /// </summary>
    public bool Noiseless { get; init; }

    /// <summary>MCMC sweeps on the first GP fit (Spearmint: 100).</summary>
    public int BurnIn { get; init; } = 100;

    /// <summary>GP hyperparameter samples per suggestion, each one more sweep of the same chain (Spearmint: 10).</summary>
    public int HyperparameterSamples { get; init; } = 10;

    /// <summary>Sobol points of the acquisition sweep per suggestion.</summary>
    public int CandidateCount { get; init; } = 2000;

    /// <summary>Best sweep points refined by the local pattern search.</summary>
    public int LocalStarts { get; init; } = 5;

    /// <summary>Acquisition evaluations allowed per local refinement.</summary>
    public int LocalBudget { get; init; } = 400;

    /// <summary>
    /// Least unit-cube distance of a model-based suggestion from every pending one (0 turns it off). The Kriging
    /// believer alone lets concurrent suggestions crowd within 1e-5 of each other once the study has converged.
    /// </summary>
    public double PendingSpacing { get; init; } = 0.02;
}
