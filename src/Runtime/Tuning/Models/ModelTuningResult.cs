using DestinyDsl.Runtime.Training;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.Models;

/// <summary>
/// What a generated model's <c>TuneAsync</c> returns: the best options, the study history (trial 0: the file's
/// defaults), and the model retrained with the best options on the whole training data. Disposing the result disposes
/// <see cref="Model"/>.
/// </summary>
/// <param name="Model">A new model with <see cref="BestOptions"/>, trained on all the training data given to
/// <c>TuneAsync</c> (validation items included) for the best setting's epochs.</param>
/// <param name="BestOptions">The file's defaults with the best trial's parameters applied.</param>
/// <param name="BestTrial">The best completed trial (trial 0 when nothing beat the defaults).</param>
/// <param name="DefaultsParameters">The file's defaults, as a point of the search space.</param>
/// <param name="DefaultsTrial">Trial 0, which evaluated the defaults (null only when a resumed journal lacks it).</param>
/// <param name="Split">The validation split carved from the training data (what every trial trained and was scored on).</param>
/// <param name="Study">Every trial: parameters, state, per-epoch validation scores, epochs run, times.</param>
/// <param name="Retraining">The retraining's report.</param>
/// <param name="Objective">What the scores are.</param>
/// <param name="K">k of precision@k.</param>
/// <param name="StudyDuration">Wall-clock time of the study (not the retraining).</param>
public sealed record ModelTuningResult<TModel, TOptions>(
    TModel Model,
    TOptions BestOptions,
    TrialRecord BestTrial,
    TrialParameters DefaultsParameters,
    TrialRecord? DefaultsTrial,
    TuningSplit Split,
    StudyResult Study,
    TrainingReport Retraining,
    TuningObjective Objective,
    int K,
    TimeSpan StudyDuration) : IDisposable
    where TModel : Model
    where TOptions : ModelOptions
{
    /// <summary>The best setting found.</summary>
    public TrialParameters BestParameters => BestTrial.Parameters;

    /// <summary>Its validation score.</summary>
    public double BestScore => BestTrial.Value;

    /// <summary>The defaults' validation score (NaN when their trial did not complete).</summary>
    public double DefaultsScore => DefaultsTrial is { State: TrialState.Completed or TrialState.Pruned } d ? d.Value : double.NaN;

    /// <summary>True when no trial validated better than the defaults (the retrained model has the defaults).</summary>
    public bool DefaultsWereBest => BestTrial.Id == ModelTuner.DefaultsTrialId;

    /// <summary>Whether the scores are minimised (loss) or maximised (precision@k).</summary>
    public OptimizationDirection Direction => Study.Direction;

    /// <summary>Disposes the retrained model.</summary>
    public void Dispose() => Model.Dispose();
}
