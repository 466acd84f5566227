using System.Diagnostics;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Kernels.Threading;
using DestinyDsl.Runtime.Training;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.Models;

/// <summary>
/// Tunes a generated model's <c>tune(...)</c>/<c>choice(...)</c> settings on training data: carves a validation split
/// from it (<see cref="TuningSplit"/>), runs a <see cref="Study"/> (trial 0: the file's defaults) whose trials each build
/// a model with the suggested options on their own device group, train it epoch by epoch and report the validation
/// score per epoch (so the pruner can stop them), then retrains the best setting on all the training data.
/// Generated models call it from their typed <c>TuneAsync</c>.
/// </summary>
public static class ModelTuner
{
    /// <summary>The id of the trial that evaluates the file's defaults: the first of every study.</summary>
    public const int DefaultsTrialId = 0;

    /// <summary>Tunes a model; see the generated <c>TuneAsync</c>.</summary>
    /// <param name="training">The training data, one matrix per input layer. Nothing else is seen: keep the test split out of it.</param>
    /// <param name="space">The model's search space (the generated <c>SearchSpace</c>).</param>
    /// <param name="create">Builds a model with the given options on the given device group.</param>
    /// <param name="settings">How to tune (null: the defaults).</param>
    /// <param name="cancellationToken">Stops the tuning (running trials stop after their current step).</param>
    /// <exception cref="ArgumentException">The data cannot be split for the objective, or a setting is out of range.</exception>
    /// <exception cref="InvalidOperationException">No trial completed: nothing to retrain.</exception>
    public static async Task<ModelTuningResult<TModel, TOptions>> TuneAsync<TModel, TOptions>(
        NetworkData training,
        SearchSpace space,
        Func<TOptions, DeviceGroup, TModel> create,
        ModelTuningSettings? settings = null,
        CancellationToken cancellationToken = default)
        where TModel : Model
        where TOptions : ModelOptions, new()
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(create);
        settings ??= new ModelTuningSettings();
        Validate(settings);
        var observer = settings.Observer;
        var devicesOf = settings.TrialDevices ?? (_ => DeviceGroup.Cpu());
        var direction = settings.Objective == TuningObjective.Loss ? OptimizationDirection.Minimize : OptimizationDirection.Maximize;
        var clock = Stopwatch.StartNew();

        // The defaults are trial 0: the optimiser knows from the start how good they are, and they are the bar the
        // study has to clear, scored on the same split as every trial.
        var defaultsParameters = new TrialParameters(space.Dimensions.Select(d => new KeyValuePair<string, double>(d.Path, d.Default)));
        // One device group per concurrent trial: the study runs each trial on a free group (TrialContext.Devices).
        var groups = Enumerable.Range(0, settings.Concurrency).Select(devicesOf).ToArray();
        TuningSplit split;
        using (var probe = create(new TOptions(), groups[0]))
            split = TuningSplit.Carve(training, probe.Spec, settings);

        var threads = settings.KernelThreadsPerTrial ?? Math.Max(1, Environment.ProcessorCount / settings.Concurrency);
        double RunTrial(TrialContext trial, CancellationToken ct)
        {
            using var limit = KernelThreads.Limit(threads);
            var options = new TOptions();
            trial.Parameters.ApplyTo(options);
            using var model = create(options, trial.Devices!);
            observer?.TrialStarted(trial.TrialId, trial.Parameters);
            return TrialTraining.Run(model, split, settings, (epoch, score) =>
            {
                var stop = trial.Report(epoch, score);
                observer?.EpochReported(trial.TrialId, epoch, score);
                return stop;
            }, ct).Value;
        }

        var study = new Study(space, settings.Optimizer with { Direction = direction });
        var history = await study.RunAsync(
            (TrialContext trial, CancellationToken ct) => Task.FromResult(RunTrial(trial, ct)),
            new StudyOptions
            {
                TrialBudget = settings.Trials,
                FirstTrials = [defaultsParameters],
                DeviceGroups = groups,
                JournalPath = settings.JournalPath,
                Pruner = settings.Pruner,
                Log = settings.Log,
                TrialFinished = observer is null ? null : observer.TrialFinished,
            },
            cancellationToken).ConfigureAwait(false);
        var studyDuration = clock.Elapsed;

        var best = history.BestTrial
            ?? throw new InvalidOperationException($"None of the {history.Trials.Count} trials completed (the defaults included): there is nothing to retrain.");
        var defaultsTrial = history.Trials.FirstOrDefault(t => t.Id == DefaultsTrialId);
        var bestParameters = best.Parameters;
        var bestOptions = new TOptions();
        bestParameters.ApplyTo(bestOptions);

        observer?.RetrainingStarted(bestParameters);
        var retrained = create(bestOptions, settings.RetrainDevices ?? DeviceGroup.Cpu());
        TrainingReport report;
        try
        {
            report = retrained.Train(training, options: null, progress: null, cancellationToken);
        }
        catch
        {
            retrained.Dispose();
            throw;
        }
        observer?.RetrainingFinished(report);
        return new ModelTuningResult<TModel, TOptions>(
            retrained, bestOptions, best, defaultsParameters, defaultsTrial, split, history, report, settings.Objective, settings.K, studyDuration);
    }

    private static void Validate(ModelTuningSettings s)
    {
        if (s.Trials < 1) throw new ArgumentOutOfRangeException(nameof(s), s.Trials, "Trials must be at least 1 (the first evaluates the defaults).");
        if (s.Concurrency < 1) throw new ArgumentOutOfRangeException(nameof(s), s.Concurrency, "Concurrency must be at least 1.");
        if (s.K < 1) throw new ArgumentOutOfRangeException(nameof(s), s.K, "K must be at least 1.");
        if (s.KernelThreadsPerTrial is < 1) throw new ArgumentOutOfRangeException(nameof(s), s.KernelThreadsPerTrial, "KernelThreadsPerTrial must be at least 1.");
        if (s.MinItemsToSplit < 2) throw new ArgumentOutOfRangeException(nameof(s), s.MinItemsToSplit, "MinItemsToSplit must be at least 2.");
    }
}
