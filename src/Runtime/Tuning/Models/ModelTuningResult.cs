using DestinyDsl.Runtime.Training;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.Models;

/// <summary>
/// What a generated model's <c>TuneAsync</c> returns: the best options, the study history, the defaults' score on the
/// same validation split, and the model retrained with the best options on the whole training data. Disposing the
/// result disposes <see cref="Model"/>.
/// </summary>
/// <param name="Model">A new model with <see cref="BestOptions"/>, trained on all the training data given to
/// <c>TuneAsync</c> (validation items included) for the best setting's epochs.</param>
/// <param name="BestOptions">The file's defaults with <see cref="BestParameters"/> applied.</param>
/// <param name="BestParameters">The best setting found: the best completed trial's, or the defaults' when they
/// validated better than every trial (<see cref="DefaultsWereBest"/>).</param>
/// <param name="BestScore">The validation score of <see cref="BestParameters"/>.</param>
/// <param name="DefaultsParameters">The file's defaults, as a point of the search space.</param>
/// <param name="DefaultsScore">The validation score of the file's defaults (NaN when they diverged).</param>
/// <param name="DefaultsEpochsRun">The epochs the defaults' run trained.</param>
/// <param name="DefaultsWereBest">True when no trial validated better than the defaults.</param>
/// <param name="Study">Every trial: parameters, state, per-epoch scores, epochs run, times.</param>
/// <param name="Retraining">The retraining's report.</param>
/// <param name="Objective">What the scores are.</param>
/// <param name="K">k of precision@k.</param>
/// <param name="StudyDuration">Wall-clock time of the defaults' run and the study (not the retraining).</param>
public sealed record ModelTuningResult<TModel, TOptions>(
    TModel Model,
    TOptions BestOptions,
    TrialParameters BestParameters,
    double BestScore,
    TrialParameters DefaultsParameters,
    double DefaultsScore,
    int DefaultsEpochsRun,
    bool DefaultsWereBest,
    StudyResult Study,
    TrainingReport Retraining,
    TuningObjective Objective,
    int K,
    TimeSpan StudyDuration) : IDisposable
    where TModel : Model
    where TOptions : ModelOptions
{
    /// <summary>Whether the scores are minimised (loss) or maximised (precision@k).</summary>
    public OptimizationDirection Direction => Study.Direction;

    /// <summary>Disposes the retrained model.</summary>
    public void Dispose() => Model.Dispose();
}
