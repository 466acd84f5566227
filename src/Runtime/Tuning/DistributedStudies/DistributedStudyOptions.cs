namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

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
