using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>
/// Hyperparameter studies over an MPI job — the three levels of distribution: one study per region (level 1), each
/// trial on a group of ranks (level 2), each trial's model split across its group's ranks (level 3). Rank 0 of the job
/// coordinates: it runs every region's optimiser, writes the journals, decides pruning, and hands the next trial to
/// whichever group finishes, the others' trials pending. The other ranks (and rank 0 too with
/// <see cref="DistributedStudyOptions.CoordinatorTrains"/>) form groups of <see cref="DistributedStudyOptions.RanksPerGroup"/>
/// (a <see cref="DeviceGroup.Split"/> of the job), each training one trial at a time model-parallel on its own
/// communicator. Coordinator and group leaders talk point to point over two duplicates of the job's communicator (one
/// per direction); each leader passes instructions on to its group.
/// </summary>
public static class DistributedStudy
{
    /// <summary>
    /// Runs the studies; every rank of <paramref name="job"/> calls it with the same regions and options, and it returns
    /// on every rank when all regions' trial budgets are spent. A trial that throws is recorded as failed (on every rank
    /// of its group, or the job ends if the group cannot agree: see <see cref="DistributedStudyOptions.PeerFailureTimeout"/>)
    /// and the studies go on.
    /// </summary>
    /// <param name="job">The ranks to use: <see cref="DeviceGroup.FromMpi"/> or a split of it.</param>
    /// <param name="regions">One study per region (distinct names, distinct journals).</param>
    /// <param name="objective">Runs on every rank of a trial's group (not on the coordinator).</param>
    /// <param name="options">How ranks form groups.</param>
    /// <param name="cancellationToken">Observed on the coordinator: no new trial starts, running ones stop at their next report and stay unfinished in the journals; then every rank returns and the coordinator throws <see cref="OperationCanceledException"/>.</param>
    public static async Task<DistributedStudyResult> RunAsync(
        DeviceGroup job, IReadOnlyList<RegionStudy> regions, RegionObjective objective, DistributedStudyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(objective);
        Validate(regions);
        options ??= new DistributedStudyOptions();
        if (options.PeerFailureTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), options.PeerFailureTimeout, "PeerFailureTimeout must be positive.");
        var jobComm = job.MpiCommunicator
                      ?? throw new ArgumentException($"A distributed study runs over MPI ranks; '{job.Description}' is an in-process group: use Study.RunAsync with StudyOptions.DeviceGroups.", nameof(job));
        // Checked identically on every rank before any collective, so a bad layout fails every rank instead of hanging one.
        var layout = new StudyLayout(jobComm.Size, options.RanksPerGroup, options.CoordinatorTrains);
        var rank = jobComm.Rank;
        var groupIndex = layout.GroupOf(rank);

        // Collective over the job, in this order on every rank: the groups, then one communicator per message direction.
        var group = job.Split(color: groupIndex + 1, key: rank);
        using var toWorkers = jobComm.Duplicate();
        using var toCoordinator = jobComm.Duplicate();
        using var groupControl = groupIndex >= 0 ? group.MpiCommunicator!.Duplicate() : null; // collective over the group

        Task<List<GroupTrialRun>> working = Task.FromResult(new List<GroupTrialRun>());
        if (groupIndex >= 0)
        {
            var worker = new GroupWorker(regions, objective, group, groupIndex, toWorkers, toCoordinator, groupControl!, options.PeerFailureTimeout);
            // A thread of its own: the loop blocks between MPI polls and runs the objective to completion.
            working = Task.Factory.StartNew(() => RunWorker(worker, rank), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        IReadOnlyDictionary<string, StudyResult> results = new Dictionary<string, StudyResult>();
        if (rank == StudyLayout.CoordinatorRank)
        {
            using var mailbox = new CoordinatorMailbox(toWorkers, toCoordinator, Enumerable.Range(0, layout.Groups).Select(layout.LeaderOf));
            var groups = Enumerable.Range(0, layout.Groups).Select(g => new RemoteWorkerGroup(g, layout.LeaderOf(g), layout.RanksPerGroup, mailbox)).ToArray();
            try
            {
                results = await StudyCoordinator.RunAsync(regions, groups, mailbox, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The coordinator has told every group to stop, its own included; let that group's loop return first.
                await working.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
        var runs = await working.ConfigureAwait(false);
        return new DistributedStudyResult(rank == StudyLayout.CoordinatorRank, groupIndex, groupIndex >= 0 ? group : null, results, runs);
    }

    // The loop itself never fails (the objective's exceptions are trial outcomes): if it does, the protocol is broken and
    // the coordinator or the group would wait forever, so the job ends with the error.
    private static List<GroupTrialRun> RunWorker(GroupWorker worker, int rank)
    {
        try
        {
            return worker.Run();
        }
        catch (Exception e)
        {
            MpiJob.AbortOnFailure(new InvalidOperationException($"The distributed study's worker loop failed on rank {rank}.", e));
            throw;
        }
    }

    private static void Validate(IReadOnlyList<RegionStudy> regions)
    {
        ArgumentNullException.ThrowIfNull(regions);
        if (regions.Count == 0)
            throw new ArgumentException("A distributed study needs at least one region.", nameof(regions));
        var names = new HashSet<string>(StringComparer.Ordinal);
        var journals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var region in regions)
        {
            ArgumentNullException.ThrowIfNull(region);
            ArgumentNullException.ThrowIfNull(region.Space);
            ArgumentNullException.ThrowIfNull(region.Options);
            if (!names.Add(region.Name ?? throw new ArgumentException("A region has no name.", nameof(regions))))
                throw new ArgumentException($"Region '{region.Name}' is listed twice.", nameof(regions));
            if (region.Options.JournalPath is { } journal && !journals.Add(Path.GetFullPath(journal)))
                throw new ArgumentException($"Region '{region.Name}' shares its journal {journal} with another region: each study needs its own.", nameof(regions));
            if (region.Options.Concurrency != 1 || region.Options.DeviceGroups is not null)
                throw new ArgumentException($"Region '{region.Name}' sets Concurrency or DeviceGroups: in a distributed study the job's worker groups run the trials.", nameof(regions));
        }
    }
}
