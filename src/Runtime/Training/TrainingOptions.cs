using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Training;

/// <summary>Per-call overrides of a training run; anything left null comes from the model's options.</summary>
public sealed class TrainingOptions
{
    /// <summary>Epochs to run (overrides the file's <c>epochs</c>).</summary>
    public int? Epochs { get; init; }

    /// <summary>Mini-batch size (overrides the file's <c>batch</c>).</summary>
    public int? Batch { get; init; }

    /// <summary>Validation inputs, evaluated after every epoch.</summary>
    public NetworkData? Validation { get; init; }

    /// <summary>
    /// Ranking quality measured after every epoch (precision@K on held-out items, <see cref="EpochSummary.ValidationPrecision"/>).
    /// Reported only: early stopping follows the validation loss.
    /// </summary>
    public RankingValidation? Ranking { get; init; }

    /// <summary>Stop when validation loss has not improved for this many epochs (needs <see cref="Validation"/>).</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>
    /// With early stopping: end the run with the weights (and optimizer state) of the epoch with the lowest validation
    /// loss, not the last epoch's. On by default; the step and epoch counters still count every step taken.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;
}
