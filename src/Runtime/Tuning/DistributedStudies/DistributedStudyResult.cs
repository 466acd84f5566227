using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

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
