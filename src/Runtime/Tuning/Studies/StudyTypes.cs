using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tuning.Studies;

/// <summary>How a trial ended.</summary>
public enum TrialState
{
    /// <summary>The objective returned a finite value; it was told to the optimiser.</summary>
    Completed,

    /// <summary>The objective threw; the optimiser forgot the trial (no observation).</summary>
    Failed,

    /// <summary>The pruner stopped the trial early; its last reported epoch value was told to the optimiser.</summary>
    Pruned,

    /// <summary>The objective returned NaN or ±∞; told to the optimiser as such (it counts as the worst value seen).</summary>
    Diverged,
}

/// <summary>One per-epoch metric a trial reported through <see cref="TrialContext.Report"/>.</summary>
public readonly record struct EpochMetric(int Epoch, double Value);

/// <summary>Everything the study knows about one finished trial.</summary>
/// <param name="Id">The trial's id: 0, 1, 2, … in the order the trials were started (kept across a resume).</param>
/// <param name="Parameters">The setting evaluated.</param>
/// <param name="State">How it ended.</param>
/// <param name="Value">The objective value (Completed, Diverged), the last reported epoch value (Pruned; NaN when
/// none was reported), or NaN (Failed).</param>
/// <param name="Epochs">The per-epoch metrics reported, in order.</param>
/// <param name="Started">When the (last) attempt started.</param>
/// <param name="Ended">When it ended.</param>
/// <param name="Error">The exception's type and message for a failed trial; null otherwise.</param>
/// <param name="Replayed">True when the record was read back from a journal rather than run by this call.</param>
public sealed record TrialRecord(
    int Id,
    TrialParameters Parameters,
    TrialState State,
    double Value,
    IReadOnlyList<EpochMetric> Epochs,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    string? Error,
    bool Replayed = false)
{
    /// <summary>How many epochs the trial ran (= epoch metrics reported).</summary>
    public int EpochsRun => Epochs.Count;

    /// <summary>Wall-clock time of the trial.</summary>
    public TimeSpan Duration => Ended - Started;
}

/// <summary>The outcome of <see cref="Study.RunAsync(Func{TrialContext, CancellationToken, Task{double}}, StudyOptions, CancellationToken)"/>.</summary>
/// <param name="Direction">Whether smaller or larger values were better.</param>
/// <param name="Trials">Every finished trial (replayed ones included), by id.</param>
/// <param name="Warnings">Non-fatal problems met (e.g. a truncated last journal line that was ignored).</param>
public sealed record StudyResult(OptimizationDirection Direction, IReadOnlyList<TrialRecord> Trials, IReadOnlyList<string> Warnings)
{
    /// <summary>The best <see cref="TrialState.Completed"/> trial in the study's direction, or null when none completed.</summary>
    public TrialRecord? BestTrial
    {
        get
        {
            TrialRecord? best = null;
            foreach (var t in Trials)
                if (t.State == TrialState.Completed && (best is null || (Direction == OptimizationDirection.Minimize ? t.Value < best.Value : t.Value > best.Value)))
                    best = t;
            return best;
        }
    }

    /// <summary>The parameters of <see cref="BestTrial"/>.</summary>
    /// <exception cref="InvalidOperationException">No trial completed.</exception>
    public TrialParameters BestParameters => (BestTrial ?? throw new InvalidOperationException("No trial completed.")).Parameters;

    /// <summary>The value of <see cref="BestTrial"/>.</summary>
    /// <exception cref="InvalidOperationException">No trial completed.</exception>
    public double BestValue => (BestTrial ?? throw new InvalidOperationException("No trial completed.")).Value;
}

/// <summary>How a study runs.</summary>
public sealed record StudyOptions
{
    /// <summary>Total number of trials of the study, those replayed from the journal included (default 20).</summary>
    public int TrialBudget { get; init; } = 20;

    /// <summary>Trials evaluated at once (default 1). When one finishes, the next suggestion is asked at once, the
    /// others pending (fantasised by the optimiser).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>
    /// Settings evaluated first, as trials 0, 1, … in this order, before the optimiser's own suggestions (e.g. the
    /// defaults of the .dnet file, so the optimiser knows from the start how good they are); they count towards
    /// <see cref="TrialBudget"/>. Each must have the search space's paths in its order. On a resume, those whose ids
    /// the journal already holds are not evaluated again.
    /// </summary>
    public IReadOnlyList<TrialParameters> FirstTrials { get; init; } = [];

    /// <summary>
    /// Devices for the trials (null: none). When set, each trial runs on a group of its own
    /// (<see cref="TrialContext.Devices"/>), one trial per group at a time, so as many trials run at once as there are
    /// groups (<see cref="Concurrency"/> must then be left at 1 or equal the number of groups). Divide a machine's
    /// devices with <see cref="Distributed.DeviceGroup.Partition"/>, e.g. <c>DeviceGroup.Gpu().Partition(4)</c>.
    /// </summary>
    public IReadOnlyList<Distributed.DeviceGroup>? DeviceGroups { get; init; }

    /// <summary>The append-only JSON-lines journal (null: none). An existing journal is resumed.</summary>
    public string? JournalPath { get; init; }

    /// <summary>Stops bad trials early on their per-epoch metrics (null: no pruning).</summary>
    public IPruner? Pruner { get; init; }

    /// <summary>Receives warnings as they happen (they are also in <see cref="StudyResult.Warnings"/>).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Called after each trial finishes (from the study's loop, never concurrently).</summary>
    public Action<TrialRecord>? TrialFinished { get; init; }
}

/// <summary>
/// Thrown by an objective to end its trial as <see cref="TrialState.Pruned"/> (typically after
/// <see cref="TrialContext.Report"/> returned true, or through <see cref="TrialContext.ThrowIfPruned"/>).
/// </summary>
public sealed class TrialPrunedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrialPrunedException() : base("The trial was pruned.") { }

    /// <summary>Creates the exception with a message.</summary>
    public TrialPrunedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public TrialPrunedException(string message, Exception inner) : base(message, inner) { }
}
