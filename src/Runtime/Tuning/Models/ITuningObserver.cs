using DestinyDsl.Runtime.Training;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.Models;

/// <summary>
/// Hears what a model tuner does, as it happens: for live reports (the MovieLens example draws a Spectre.Console
/// table from these events; the runtime itself takes no UI dependency). Every method has an empty default.
/// </summary>
/// <remarks>
/// Trials run concurrently: <see cref="TrialStarted"/> and <see cref="EpochReported"/> may be called from several
/// threads at once and must be thread-safe; <see cref="TrialFinished"/> comes from the study's loop, one at a time.
/// Trial <see cref="ModelTuner.DefaultsTrialId"/> (0) evaluates the file's defaults.
/// </remarks>
public interface ITuningObserver
{
    /// <summary>A trial starts training with these parameters.</summary>
    void TrialStarted(int trialId, TrialParameters parameters) { }

    /// <summary>A trial finished an epoch and scored <paramref name="value"/> on validation.</summary>
    void EpochReported(int trialId, int epoch, double value) { }

    /// <summary>A study trial run by this call ended (completed, pruned, failed or diverged); trials replayed from a journal are in the result only.</summary>
    void TrialFinished(TrialRecord record) { }

    /// <summary>The best setting is being retrained on the whole training data.</summary>
    void RetrainingStarted(TrialParameters parameters) { }

    /// <summary>The retraining ended.</summary>
    void RetrainingFinished(TrainingReport report) { }
}
