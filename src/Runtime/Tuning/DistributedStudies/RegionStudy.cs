using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>
/// One region's study inside a distributed study (Netflix's level 1: one model, and one study, per region). Every rank
/// of the job passes the same regions in the same order.
/// </summary>
/// <param name="Name">The region's name, given to the objective (e.g. to load that region's data).</param>
/// <param name="Space">What is tuned (a generated model's <c>SearchSpace</c>).</param>
/// <param name="Settings">The region's optimiser settings (seed, direction, …); null for the defaults.</param>
/// <param name="Options">
/// The region's study options: <see cref="StudyOptions.TrialBudget"/>, <see cref="StudyOptions.JournalPath"/> (each
/// region needs its own journal; it is written by the coordinator rank only), <see cref="StudyOptions.Pruner"/>,
/// <see cref="StudyOptions.Log"/>, <see cref="StudyOptions.TrialFinished"/> (called on the coordinator).
/// <see cref="StudyOptions.Concurrency"/> and <see cref="StudyOptions.DeviceGroups"/> must be left unset: the job's
/// worker groups are the devices.
/// </param>
public sealed record RegionStudy(string Name, SearchSpace Space, OptimizerSettings? Settings, StudyOptions Options);

/// <summary>
/// Evaluates one trial of a distributed study. It runs on every rank of the trial's group at once: train the model on
/// <see cref="TrialContext.Devices"/> (the group, model-parallel) and call <see cref="TrialContext.Report"/> on every
/// rank with the same epochs (it is collective over the group: every rank gets the coordinator's pruning decision).
/// The group leader's return value is the trial's value.
/// </summary>
/// <param name="trial">The trial: id, parameters, the group's devices, per-epoch reports.</param>
/// <param name="region">The name of the region whose study the trial belongs to.</param>
/// <param name="cancellationToken">Cancelled when the coordinator's study is cancelled (seen at the next report).</param>
public delegate Task<double> RegionObjective(TrialContext trial, string region, CancellationToken cancellationToken);

/// <summary>How the ranks of a distributed study are organised.</summary>
public sealed record DistributedStudyOptions
{
    /// <summary>Ranks that train one trial together, model-parallel (default 1).</summary>
    public int RanksPerGroup { get; init; } = 1;

    /// <summary>
    /// False (default): rank 0 only coordinates, and the other ranks form the groups (the job needs 1 + a multiple of
    /// <see cref="RanksPerGroup"/> ranks). True: rank 0 coordinates and also leads group 0 (a multiple of
    /// <see cref="RanksPerGroup"/> ranks) — the coordinator's work is milliseconds per trial, so on a job sized to the
    /// machine every rank trains.
    /// </summary>
    public bool CoordinatorTrains { get; init; }

    /// <summary>
    /// How long a rank whose trial threw waits for the rest of its group to finish the same trial (default 2 minutes).
    /// If they do not come, they are blocked in a collective the failed rank will never join: the job is then ended
    /// with an error naming the rank, instead of hanging. Groups of one rank never wait.
    /// </summary>
    public TimeSpan PeerFailureTimeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>What one trial a worker rank took part in.</summary>
/// <param name="Region">The region's name.</param>
/// <param name="TrialId">The trial's id in that region's study.</param>
public readonly record struct GroupTrialRun(string Region, int TrialId);

/// <summary>What <see cref="DistributedStudy.RunAsync"/> returns on a rank.</summary>
/// <param name="IsCoordinator">True on the rank that ran the optimisers and wrote the journals (rank 0).</param>
/// <param name="GroupIndex">The worker group this rank belongs to (0, 1, …); −1 on a coordinator that does not train.</param>
/// <param name="Group">The worker group's devices; null on a coordinator that does not train.</param>
/// <param name="Regions">Each region's result by name, on the coordinator; empty on the other ranks.</param>
/// <param name="TrialsRun">The trials this rank took part in, in order; empty on a coordinator that does not train.</param>
public sealed record DistributedStudyResult(
    bool IsCoordinator,
    int GroupIndex,
    DeviceGroup? Group,
    IReadOnlyDictionary<string, StudyResult> Regions,
    IReadOnlyList<GroupTrialRun> TrialsRun);
