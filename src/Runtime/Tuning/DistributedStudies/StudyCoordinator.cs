using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>
/// The coordinator rank's part: one <see cref="Study"/> per region (its own optimiser, journal and pruner), all drawing
/// on one pool of the job's worker groups. A group that finishes a trial goes back to the pool once its result has
/// been told to its region's optimiser, and the longest-waiting study takes it and asks its optimiser for the next
/// setting at once, with its other running trials pending. So any group works for any region (no group idles while a
/// region still has trials to run), and the studies need no global batch.
/// </summary>
internal static class StudyCoordinator
{
    public static async Task<IReadOnlyDictionary<string, StudyResult>> RunAsync(
        IReadOnlyList<RegionStudy> regions, IReadOnlyList<RemoteWorkerGroup> groups, CoordinatorMailbox mailbox, CancellationToken cancellationToken)
    {
        var pool = new TrialSlotPool(groups);
        var runs = new Task<StudyResult>[regions.Count];
        try
        {
            for (var r = 0; r < regions.Count; r++)
            {
                var (index, region) = (r, regions[r]);
                var study = new Study(region.Space, region.Settings);
                runs[r] = study.RunAsync(
                    (trial, ct) => ((RemoteWorkerGroup)trial.Slot!).RunTrialAsync(index, region.Name, trial, ct),
                    region.Options, pool, cancellationToken);
            }
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened to the studies, the groups must come back idle and be told to stop, or they would wait forever.
            foreach (var run in runs.Where(r => r is not null))
                await run.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            foreach (var group in groups)
            {
                await group.Idle.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                mailbox.Send(group.Leader, StudyTag.Stop, []);
            }
        }
        return regions.Select((region, r) => (region.Name, runs[r].Result)).ToDictionary(p => p.Name, p => p.Result);
    }
}
