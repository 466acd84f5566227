using System.Globalization;
using DestinyDsl.Distributed.Worker.Networks;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.DistributedStudies;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Distributed.Worker;

/// <summary>
/// A distributed study as the tests run it: two regions ("east", 5 trials; "west", 4 trials), each tuning the
/// <c>TunedAutoencoder</c> with its own journal in the given directory, over worker groups of the given size. Planned
/// events the tests check: west's trial 1 throws on every rank of its group (recorded as failed, the study goes on);
/// east's pruner stops east's trial 3 after its 2nd epoch; and the first trial of group 1 does not start training
/// until the journals show 3 finished trials — which only group 0 can finish meanwhile, so the job completes only if
/// a group that finishes is given the next trial without waiting for the others.
/// </summary>
internal static class StudyScenario
{
    public const int FinishedTrialsBeforeGroupOneStarts = 3;
    private static bool _ranFirstTrial;
    private static string _variant = "";

    /// <param name="variant">"" for the planned events above; "one-rank-fails": west's trial 1 throws on its group's
    /// second rank only, after the first epoch, while the leader goes on training (and so waits in a collective forever).</param>
    public static int Run(string journalDirectory, int ranksPerGroup, bool coordinatorTrains, string variant)
    {
        _variant = variant;
        var job = DeviceGroup.FromMpi();
        Output.SetRank(MpiJob.WorldRank, MpiJob.WorldSize);
        var regions = new[] { Region("east", 5, journalDirectory, seed: 1, new PruneOneTrial(TrialId: 3, AtEpoch: 2)), Region("west", 4, journalDirectory, seed: 2, pruner: null) };
        var result = DistributedStudy.RunAsync(job, regions, (trial, region, ct) => Task.FromResult(Objective(trial, region, journalDirectory, ranksPerGroup, coordinatorTrains)),
            new DistributedStudyOptions { RanksPerGroup = ranksPerGroup, CoordinatorTrains = coordinatorTrains, PeerFailureTimeout = TimeSpan.FromSeconds(_variant == "one-rank-fails" ? 3 : 30) }).GetAwaiter().GetResult();

        if (result.IsCoordinator)
        {
            Output.Line($"role coordinator group {result.GroupIndex}");
            foreach (var (name, study) in result.Regions)
                foreach (var t in study.Trials)
                    Output.Line($"result {name} {t.Id} {t.State} {R(t.Value)} epochs {t.EpochsRun} error {t.Error ?? "-"}");
        }
        if (result.Group is not null)
        {
            Output.Line($"role worker group {result.GroupIndex} shards {result.Group!.ShardCount} group-primary={result.Group.IsGroupPrimary}");
            foreach (var run in result.TrialsRun)
                Output.Line($"ran {run.Region} {run.TrialId}");
        }
        Output.Line("done");
        return 0;
    }

    private static RegionStudy Region(string name, int budget, string directory, int seed, IPruner? pruner) => new(
        name,
        TunedAutoencoder.SearchSpace,
        // Few GP samples and candidates: the tests check the machinery, not the optimiser's quality.
        new OptimizerSettings { Seed = seed, BurnIn = 10, HyperparameterSamples = 2, CandidateCount = 200, LocalStarts = 2, LocalBudget = 50 },
        new StudyOptions { TrialBudget = budget, JournalPath = Path.Combine(directory, $"{name}.jsonl"), Pruner = pruner });

    private static double Objective(TrialContext trial, string region, string journalDirectory, int ranksPerGroup, bool coordinatorTrains)
    {
        var devices = trial.Devices ?? throw new InvalidOperationException("a distributed trial has no devices");
        var group = (MpiJob.WorldRank - (coordinatorTrains ? 0 : 1)) / ranksPerGroup;
        Output.Line($"trial {region} {trial.TrialId} start group {group} rank-in-group {devices.LocalShards[0]} of {devices.ShardCount} parameters {trial.Parameters}");
        var failsAlone = _variant == "one-rank-fails" && region == "west" && trial.TrialId == 1;
        if (region == "west" && trial.TrialId == 1 && !failsAlone)
            throw new InvalidOperationException($"planned failure in west trial 1 on rank {MpiJob.WorldRank}");
        if (group == 1 && !_ranFirstTrial)
            WaitForFinishedTrials(journalDirectory, FinishedTrialsBeforeGroupOneStarts);
        _ranFirstTrial = true;
        return StudyTrial.Train(trial.Parameters, region, devices, (epoch, loss) =>
        {
            Output.Line($"trial {region} {trial.TrialId} epoch {epoch} loss {R(loss)}");
            if (failsAlone && devices.LocalShards[0] == 1)
                throw new InvalidOperationException($"planned failure of one rank in west trial 1 on rank {MpiJob.WorldRank}");
            return trial.Report(epoch, loss);
        });
    }

    // The event group 1's first trial waits for: the coordinator's journals record that many finished trials. The
    // bound is a hang guard only; past it the trial fails and the test reports a hand-out that is not asynchronous.
    private static void WaitForFinishedTrials(string directory, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (FinishedTrials(directory) < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"group 1 waited 60 s for {count} trials to finish on the other group: the hand-out is not asynchronous");
            Thread.Sleep(20);
        }
        Output.Line($"group 1 saw {count} finished trials");
    }

    private static int FinishedTrials(string directory)
        => Directory.EnumerateFiles(directory, "*.jsonl").Sum(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var count = 0;
            while (reader.ReadLine() is { } line)
                if (line.Contains("\"event\":\"finished\"", StringComparison.Ordinal)) count++;
            return count;
        });

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Stops one trial after a given epoch: a pruning decision the tests can predict.</summary>
    private sealed record PruneOneTrial(int TrialId, int AtEpoch) : IPruner
    {
        public bool ShouldPrune(PruningContext context) => context.TrialId == TrialId && context.Epoch >= AtEpoch;
    }
}
