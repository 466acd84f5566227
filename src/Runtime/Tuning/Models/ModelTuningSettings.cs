using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.Models;

/// <summary>How a generated model's <c>TuneAsync</c> tunes it: the study, the validation split, the devices.</summary>
public sealed record ModelTuningSettings
{
    /// <summary>Trials of the study in all, those replayed from a journal included (default 20).</summary>
    public int Trials { get; init; } = 20;

    /// <summary>
    /// Trials trained at once, each on its own device group (default 1). With more than one, the order in which
    /// trials finish depends on timing, so the suggestions after the first few (and the result) are no longer
    /// reproducible run to run; with 1 the whole tuning is deterministic for a seed.
    /// </summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>What a trial is scored by (default precision@<see cref="K"/>).</summary>
    public TuningObjective Objective { get; init; } = TuningObjective.PrecisionAtK;

    /// <summary>k of precision@k (default 10).</summary>
    public int K { get; init; } = 10;

    /// <summary>
    /// The validation split carved from the training data. <see cref="TuningObjective.PrecisionAtK"/>: the share of
    /// each row's items held out (rows with fewer than <see cref="MinItemsToSplit"/> keep all). <see cref="TuningObjective.Loss"/>:
    /// the share of rows held out. Default 0.2.
    /// </summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Rows with fewer items are not split for precision@k validation (default 5, at least 2).</summary>
    public int MinItemsToSplit { get; init; } = 5;

    /// <summary>Seed of the validation split (default 9; kept apart from the caller's own test split by choosing another).</summary>
    public ulong ValidationSeed { get; init; } = 9;

    /// <summary>The optimiser's settings (seed, …); its direction is set from <see cref="Objective"/>.</summary>
    public OptimizerSettings Optimizer { get; init; } = new();

    /// <summary>
    /// Stops bad trials early on their per-epoch validation score (default: the median rule from epoch 8 on, once 5
    /// trials completed; null: every trial runs all its epochs). The median rule favours settings that learn fast:
    /// a late warm-up keeps it from stopping a slower learning rate that would end best (on the MovieLens example,
    /// warm-up 5 stopped near-copies of the best setting at epochs 5–6).
    /// </summary>
    public IPruner? Pruner { get; init; } = new MedianPruner(MinTrials: 5, WarmupEpochs: 8);

    /// <summary>The study's JSON-lines journal (null: none); an existing one is resumed.</summary>
    public string? JournalPath { get; init; }

    /// <summary>
    /// The device group of each concurrent trial slot (0 … <see cref="Concurrency"/> − 1), asked once per slot; a slot is
    /// reused by the next trial once its trial ends, and no two running trials share a slot (so each slot needs a group
    /// object of its own, e.g. parts of <c>DeviceGroup.Partition</c>). Default: a new in-process CPU group per slot.
    /// </summary>
    public Func<int, DeviceGroup>? TrialDevices { get; init; }

    /// <summary>
    /// Kernel threads each trial's CPU kernels may use (default: the cores divided among the concurrent trials, at
    /// least 1), so that N trials at once do not each try to use every core. Results do not depend on it.
    /// </summary>
    public int? KernelThreadsPerTrial { get; init; }

    /// <summary>Where the best setting is retrained on the whole training data (default: the in-process CPU).</summary>
    public DeviceGroup? RetrainDevices { get; init; }

    /// <summary>Hears trials start, report epochs and finish (live reports).</summary>
    public ITuningObserver? Observer { get; init; }

    /// <summary>Receives warnings (e.g. a torn last journal line).</summary>
    public Action<string>? Log { get; init; }
}
