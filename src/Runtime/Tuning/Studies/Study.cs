using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tuning.Studies;

/// <summary>
/// A hyperparameter study: asks <see cref="BayesianOptimizer"/> for settings, evaluates them with an objective,
/// <see cref="StudyOptions.Concurrency"/> at a time, and tells the optimiser the results.
/// <list type="bullet">
/// <item>Asynchronous: as soon as one trial finishes the next suggestion is made, the running trials' settings
/// passed as pending (the optimiser fantasises them, so concurrent trials never get the same setting).</item>
/// <item>A trial whose objective throws is <see cref="TrialState.Failed"/>: recorded with its error, and the optimiser
/// is told nothing (the setting is forgotten: a crash says nothing reliable about the setting, and a made-up penalty
/// would distort the GP). A non-finite value is <see cref="TrialState.Diverged"/>: recorded as a failure, but the
/// optimiser is told it, and counts it as the worst value seen, so it steers away from settings that blow up.</item>
/// <item>A trial stopped by the pruner is <see cref="TrialState.Pruned"/>; its last reported epoch value is told to the
/// optimiser (a pessimistic estimate of what it would have reached, which is the point).</item>
/// <item>With a journal every event is appended as it happens; a study started on an existing journal replays the
/// finished trials into the optimiser without running them, re-runs (once, same id and parameters) the trials
/// that were started but never finished, and goes on until <see cref="StudyOptions.TrialBudget"/> trials in all.</item>
/// <item>Cancellation: no new trial starts; the running ones see the token; those that end by cancellation stay
/// unfinished in the journal (a later resume re-runs them); then <see cref="OperationCanceledException"/>.</item>
/// </list>
/// The best trial is the best <see cref="TrialState.Completed"/> one.
/// </summary>
public sealed class Study
{
    /// <summary>A study of <paramref name="space"/> with the optimiser's <paramref name="settings"/> (seed, direction, …).</summary>
    public Study(SearchSpace space, OptimizerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        Space = space;
        Settings = settings ?? new OptimizerSettings();
    }

    /// <summary>The search space.</summary>
    public SearchSpace Space { get; }

    /// <summary>The optimiser's settings.</summary>
    public OptimizerSettings Settings { get; }

    /// <summary>Runs the study on an objective that only needs the parameters (no per-epoch reports, no pruning).</summary>
    public Task<StudyResult> RunAsync(Func<TrialParameters, CancellationToken, Task<double>> objective, StudyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return RunAsync((TrialContext context, CancellationToken ct) => objective(context.Parameters, ct), options, cancellationToken);
    }

    /// <summary>Runs the study; the objective gets a <see cref="TrialContext"/> to report per-epoch metrics.</summary>
    /// <exception cref="Data.DataFormatException">The journal is malformed (the message names the file and line).</exception>
    /// <exception cref="OperationCanceledException">Cancelled (after the running trials have ended).</exception>
    public Task<StudyResult> RunAsync(Func<TrialContext, CancellationToken, Task<double>> objective, StudyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(options);
        TrialSlotPool? slots = null;
        if (options.DeviceGroups is { } groups)
        {
            if (groups.Count == 0 || groups.Any(g => g is null))
                throw new ArgumentException("DeviceGroups must hold at least one device group and no null.", nameof(options));
            if (groups.Distinct().Count() != groups.Count)
                throw new ArgumentException("DeviceGroups lists a group twice: each trial needs devices of its own.", nameof(options));
            if (options.Concurrency != 1 && options.Concurrency != groups.Count)
                throw new ArgumentException($"Concurrency is {options.Concurrency} but there are {groups.Count} device groups: with DeviceGroups, one trial runs per group.", nameof(options));
            slots = new TrialSlotPool(groups);
        }
        return RunAsync(objective, options, slots, cancellationToken);
    }

    /// <summary>
    /// Runs the study with its trials placed in <paramref name="slots"/> (null: <see cref="StudyOptions.Concurrency"/>
    /// trials at once, anywhere): a trial starts only when a slot is free, and its context carries the slot. Several
    /// studies may share one pool (the regions of a distributed study share the job's worker groups).
    /// </summary>
    internal async Task<StudyResult> RunAsync(Func<TrialContext, CancellationToken, Task<double>> objective, StudyOptions options, TrialSlotPool? slots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrialBudget < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "TrialBudget must be ≥ 0.");
        if (options.Concurrency < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "Concurrency must be ≥ 1.");
        foreach (var first in options.FirstTrials)
            if (!first.Keys.SequenceEqual(Space.Dimensions.Select(d => d.Path)))
                throw new ArgumentException($"A first trial ({first}) does not have the search space's paths in its order.", nameof(options));
        var concurrency = slots?.Capacity ?? options.Concurrency;

        var optimizer = new BayesianOptimizer(Space, Settings);
        var warnings = new List<string>();
        var gate = new object();
        var finished = new List<TrialRecord>();
        var live = new Dictionary<int, TrialContext>();
        var queue = new Queue<(int Id, TrialParameters Parameters)>();
        var nextId = 0;
        StudyJournal? journal = null;
        if (options.JournalPath is { } journalPath)
        {
            var contents = StudyJournal.Read(journalPath, Space);
            foreach (var w in contents.Warnings)
            {
                warnings.Add(w);
                options.Log?.Invoke(w);
            }
            foreach (var record in contents.Finished)
            {
                finished.Add(record);
                TellOptimizer(optimizer, record);
            }
            foreach (var u in contents.Unfinished)
                queue.Enqueue(u);
            nextId = contents.NextId;
            journal = StudyJournal.Open(journalPath, contents.ValidLength, contents.NeedsNewline);
        }

        // A slot request outlives loop iterations (a finishing trial may wake the loop first); withdrawn on the way out.
        using var slotCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<object>? slotRequest = null;
        try
        {
            var running = new Dictionary<Task<Outcome>, (TrialContext Context, DateTimeOffset Started)>();
            while (true)
            {
                while (running.Count < concurrency && !cancellationToken.IsCancellationRequested && (queue.Count > 0 || nextId < options.TrialBudget))
                {
                    object? slot = null;
                    if (slots is not null)
                    {
                        slotRequest ??= slots.AcquireAsync(slotCancellation.Token);
                        if (!slotRequest.IsCompletedSuccessfully)
                            break; // wait for a slot (or a finishing trial) below
                        slot = slotRequest.Result;
                        slotRequest = null;
                    }
                    int id;
                    TrialParameters parameters;
                    if (queue.Count > 0)
                    {
                        (id, parameters) = queue.Dequeue();
                    }
                    else
                    {
                        parameters = nextId < options.FirstTrials.Count
                            ? options.FirstTrials[nextId]
                            : optimizer.Suggest(running.Values.Select(r => r.Context.Parameters).ToArray());
                        id = nextId++;
                    }
                    var started = DateTimeOffset.UtcNow;
                    journal?.Started(id, parameters, started);
                    var context = new TrialContext(id, parameters, (c, metric) =>
                    {
                        lock (gate)
                        {
                            journal?.Epoch(c.TrialId, metric);
                            if (c.ShouldStop || options.Pruner is not { } pruner)
                                return c.ShouldStop;
                            var others = live.Values.Where(o => o.TrialId != c.TrialId).Select(o => new RunningTrial(o.TrialId, o.Parameters, o.Epochs)).ToArray();
                            return pruner.ShouldPrune(new PruningContext(c.TrialId, metric.Epoch, c.Epochs, finished, others, Settings.Direction));
                        }
                    }, slot);
                    lock (gate)
                        live.Add(id, context);
                    running.Add(Task.Run(() => Evaluate(objective, context, cancellationToken)), (context, started));
                }
                if (slotRequest is { IsCompleted: true } && (cancellationToken.IsCancellationRequested || !slotRequest.IsCompletedSuccessfully))
                {
                    // Cancelled: no new trial starts, and a slot granted meanwhile goes back at once.
                    if (slotRequest.IsCompletedSuccessfully)
                        slots!.Release(slotRequest.Result);
                    slotRequest = null;
                }
                if (running.Count == 0 && slotRequest is null)
                    break;

                var done = await Task.WhenAny(slotRequest is null ? running.Keys : running.Keys.Append<Task>(slotRequest)).ConfigureAwait(false);
                if (done == slotRequest)
                    continue; // a slot is free: start the next trial in it
                var trial = (Task<Outcome>)done;
                var (ctx, start) = running[trial];
                running.Remove(trial);
                var outcome = await trial.ConfigureAwait(false);
                var record = new TrialRecord(ctx.TrialId, ctx.Parameters, outcome.State ?? TrialState.Failed, outcome.Value, ctx.Epochs, start, DateTimeOffset.UtcNow, outcome.Error);
                bool cancelled;
                lock (gate)
                {
                    live.Remove(ctx.TrialId);
                    cancelled = outcome.State is null; // cancelled: left unfinished in the journal
                    if (!cancelled)
                    {
                        finished.Add(record);
                        journal?.Finished(record);
                    }
                }
                if (!cancelled)
                {
                    TellOptimizer(optimizer, record);
                    options.TrialFinished?.Invoke(record);
                }
                // Only now: the next suggestion made for this slot (by this study or another) knows this result.
                if (ctx.Slot is { } freed)
                    slots!.Release(freed);
            }
        }
        finally
        {
            slotCancellation.Cancel();
            if (slotRequest is { IsCompletedSuccessfully: true })
                slots!.Release(slotRequest.Result);
            journal?.Dispose();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new StudyResult(Settings.Direction, finished.OrderBy(t => t.Id).ToArray(), warnings);
    }

    private static void TellOptimizer(BayesianOptimizer optimizer, TrialRecord record)
    {
        switch (record.State)
        {
            case TrialState.Completed:
            case TrialState.Diverged:
                optimizer.Tell(record.Parameters, record.Value);
                break;
            case TrialState.Pruned when !double.IsNaN(record.Value):
                optimizer.Tell(record.Parameters, record.Value);
                break;
            case TrialState.Failed:
            case TrialState.Pruned:
                // No value to model, but the setting is not worth suggesting again.
                optimizer.TellFailed(record.Parameters);
                break;
        }
    }

    private readonly record struct Outcome(TrialState? State, double Value, string? Error);

    private static async Task<Outcome> Evaluate(Func<TrialContext, CancellationToken, Task<double>> objective, TrialContext context, CancellationToken cancellationToken)
    {
        try
        {
            var value = await objective(context, cancellationToken).ConfigureAwait(false);
            if (context.ShouldStop)
                return new Outcome(TrialState.Pruned, context.LastValue, null);
            return double.IsFinite(value)
                ? new Outcome(TrialState.Completed, value, null)
                : new Outcome(TrialState.Diverged, value, $"The objective returned {value}.");
        }
        catch (TrialPrunedException)
        {
            return new Outcome(TrialState.Pruned, context.LastValue, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new Outcome(null, double.NaN, null);
        }
        catch (Exception e)
        {
            return new Outcome(TrialState.Failed, double.NaN, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
