using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Runtime.Tuning.Models;

/// <summary>
/// One configuration's run: train on the split's fit data one epoch at a time (two one-epoch calls train exactly like
/// one two-epoch call), score the validation split after each epoch, and hand the score to <c>report</c>, which says
/// whether to stop (pruning). The value of the run is the score after its last epoch — what the configuration, which
/// includes its epoch count, reaches.
/// </summary>
internal static class TrialTraining
{
    /// <returns>The last score (NaN when training diverged) and the epochs run.</returns>
    public static (double Value, int Epochs) Run(Model model, TuningSplit split, ModelTuningSettings settings, Func<int, double, bool> report, CancellationToken cancellationToken)
    {
        // Precision@k is the trainer's own per-epoch ranking check (exactly Model.Evaluate's value); the loss objective
        // is the validation rows' mean loss.
        var ranking = settings.Objective == TuningObjective.Loss ? null : new RankingValidation(split.ValidationInputs, split.ValidationHeldOut!, settings.K);
        var oneEpoch = new TrainingOptions { Epochs = 1, Ranking = ranking };
        var epochs = model.Spec.Training.Epochs;
        var value = double.NaN;
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            TrainingReport trained;
            try
            {
                trained = model.Train(split.Fit, oneEpoch, progress: null, cancellationToken);
            }
            catch (TrainingDivergedException)
            {
                // A property of the setting (a too-large learning rate): the study records it as diverged and the
                // optimiser steers away from it.
                return (double.NaN, epoch - 1);
            }
            value = ranking is null ? model.Loss(split.ValidationInputs) : trained.Epochs[^1].ValidationPrecision!.Value;
            if (report(epoch, value) || !double.IsFinite(value))
                return (value, epoch);
        }
        return (value, epochs);
    }
}
