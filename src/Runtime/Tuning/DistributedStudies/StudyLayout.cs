namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>
/// Who does what in a job of <see cref="Ranks"/> ranks. Rank 0 coordinates (optimisers, journals, pruning). Worker
/// groups are runs of <see cref="RanksPerGroup"/> consecutive ranks, each led by its lowest rank: from rank 1 when the
/// coordinator only coordinates (5 ranks, 2 per group: coordinator 0, groups 1–2 and 3–4), from rank 0 when it also
/// trains (<see cref="CoordinatorTrains"/>; 4 ranks, 2 per group: groups 0–1, led by the coordinator, and 2–3).
/// </summary>
internal sealed record StudyLayout
{
    public const int CoordinatorRank = 0;

    public StudyLayout(int ranks, int ranksPerGroup, bool coordinatorTrains)
    {
        if (ranksPerGroup < 1)
            throw new ArgumentOutOfRangeException(nameof(ranksPerGroup), ranksPerGroup, "RanksPerGroup must be at least 1.");
        var trainingRanks = coordinatorTrains ? ranks : ranks - 1;
        if (trainingRanks < ranksPerGroup)
            throw new ArgumentException(
                $"The job has {ranks} rank(s): too few for {(coordinatorTrains ? "" : "a coordinator and ")}one worker group of {ranksPerGroup}; "
                + "in one process run Study.RunAsync (with StudyOptions.DeviceGroups for several trials at once).");
        if (trainingRanks % ranksPerGroup != 0)
            throw new ArgumentException(coordinatorTrains
                ? $"The job has {ranks} ranks, which do not form groups of {ranksPerGroup} (rank 0 coordinates and leads group 0): it needs a multiple of {ranksPerGroup} ranks."
                : $"The job has {ranks} ranks: rank 0 only coordinates (CoordinatorTrains is false) and the other {ranks - 1} do not form groups of {ranksPerGroup}: "
                  + $"it needs 1 + a multiple of {ranksPerGroup} ranks{(ranks % ranksPerGroup == 0 ? ", or CoordinatorTrains = true so that rank 0 trains in group 0 too" : "")}.");
        Ranks = ranks;
        RanksPerGroup = ranksPerGroup;
        CoordinatorTrains = coordinatorTrains;
    }

    public int Ranks { get; }

    public int RanksPerGroup { get; }

    /// <summary>True when rank 0 coordinates and also leads group 0.</summary>
    public bool CoordinatorTrains { get; }

    private int FirstWorker => CoordinatorTrains ? 0 : 1;

    public int Groups => (Ranks - FirstWorker) / RanksPerGroup;

    /// <summary>The group of <paramref name="rank"/>, or −1 for a coordinator that does not train.</summary>
    public int GroupOf(int rank) => rank < FirstWorker ? -1 : (rank - FirstWorker) / RanksPerGroup;

    public int LeaderOf(int group) => FirstWorker + group * RanksPerGroup;
}
