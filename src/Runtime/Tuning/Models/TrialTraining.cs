using DestinyDsl.Runtime.Evaluation;
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
    private static readonly TrainingOptions OneEpoch = new() { Epochs = 1 };

    /// <returns>The last score (NaN when training diverged) and the epochs run.</returns>
    public static (double Value, int Epochs) Run(Model model, TuningSplit split, ModelTuningSettings settings, Func<int, double, bool> report, CancellationToken cancellationToken)
    {
        var epochs = model.Spec.Training.Epochs;
        var value = double.NaN;
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            try
            {
                model.Train(split.Fit, OneEpoch, progress: null, cancellationToken);
            }
            catch (TrainingDivergedException)
            {
                // A property of the setting (a too-large learning rate): the study records it as diverged and the
                // optimiser steers away from it.
                return (double.NaN, epoch - 1);
            }
            value = Score(model, split, settings);
            if (report(epoch, value) || !double.IsFinite(value))
                return (value, epoch);
        }
        return (value, epochs);
    }

    /// <summary>The objective on the validation split.</summary>
    public static double Score(Model model, TuningSplit split, ModelTuningSettings settings)
    {
        if (settings.Objective == TuningObjective.Loss)
            return model.Loss(split.ValidationInputs);
        var recommendations = model.RecommendAll(split.ValidationInputs, settings.K, excludeSeen: true);
        var ranked = Array.ConvertAll(recommendations, row => Array.ConvertAll(row, r => r.Column));
        return RankingMetrics.Compute(ranked, split.ValidationHeldOut!, settings.K).PrecisionAtK;
    }
}
