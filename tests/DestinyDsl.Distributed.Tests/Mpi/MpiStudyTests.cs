using System.Globalization;
using System.Text.Json;
using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Distributed.Worker.Networks;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;
using Xunit.Sdk;
using static DestinyDsl.Distributed.Tests.Mpi.MpiJobAssertions;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>
/// Distributed studies under mpirun (the worker's "study" scenario: regions east, 5 trials, and west, 4 trials, with a
/// planned failure, a planned pruning, and group 1's first trial held until 3 trials have finished elsewhere).
/// Two layouts: 3 ranks = a coordinator that only coordinates + two single-rank groups; 4 ranks = two 2-rank
/// model-parallel groups, the coordinator leading group 0.
/// </summary>
public class MpiStudyTests
{
    private static readonly Dictionary<string, int> Budgets = new() { ["east"] = 5, ["west"] = 4 };

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_study_with_a_coordinator_rank_and_two_single_rank_groups() => Study(Flavour.OpenMpi, ranks: 3, ranksPerGroup: 1, coordinatorTrains: false);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_study_with_a_coordinator_rank_and_two_single_rank_groups() => Study(Flavour.Mpich, ranks: 3, ranksPerGroup: 1, coordinatorTrains: false);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_study_with_two_model_parallel_groups_of_two_ranks() => Study(Flavour.OpenMpi, ranks: 4, ranksPerGroup: 2, coordinatorTrains: true);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_study_with_two_model_parallel_groups_of_two_ranks() => Study(Flavour.Mpich, ranks: 4, ranksPerGroup: 2, coordinatorTrains: true);

    /// <summary>
    /// West's trial 1 throws on the second rank of its 2-rank group only, while the leader goes on into the next epoch's
    /// collectives: the group cannot agree, so after its peer-failure timeout (3 s here) the failed rank ends the job
    /// with an error naming itself and the trial, instead of the job hanging.
    /// </summary>
    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_trial_failing_on_one_rank_of_a_group_ends_the_job_naming_the_rank() => OneRankFails(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_trial_failing_on_one_rank_of_a_group_ends_the_job_naming_the_rank() => OneRankFails(Flavour.Mpich);

    private static void OneRankFails(Flavour flavour)
    {
        var directory = Directory.CreateTempSubdirectory("destinydsl-mpi-study-").FullName;
        try
        {
            var run = WorkerJob.Launch(flavour, 4, "study", [directory, "2", "coordinator-trains", "one-rank-fails"]);
            // The failing rank is rank 1 of whichever group took west's trial 1: world rank 1 or 3.
            var failing = run.Output.Contains("planned failure of one rank in west trial 1 on rank 1", StringComparison.Ordinal) ? 1 : 3;
            EndedBecauseOf(run, $"Trial 1 of region 'west' failed on rank {failing} (InvalidOperationException: planned failure of one rank in west trial 1 on rank {failing}");
            Assert.Contains("did not come within the peer-failure timeout", run.Output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Study(Flavour flavour, int ranks, int ranksPerGroup, bool coordinatorTrains)
    {
        var directory = Directory.CreateTempSubdirectory("destinydsl-mpi-study-").FullName;
        try
        {
            string[] arguments = coordinatorTrains ? [directory, ranksPerGroup.ToString(CultureInfo.InvariantCulture), "coordinator-trains"] : [directory, ranksPerGroup.ToString(CultureInfo.InvariantCulture)];
            var run = WorkerJob.Launch(flavour, ranks, "study", arguments);
            // Clean exit: every rank returned from the study and printed "done"; exit code 0.
            Succeeded(run, ranks);
            var context = run.ToString();
            var firstWorker = coordinatorTrains ? 0 : 1;
            var groups = Enumerable.Range(0, (ranks - firstWorker) / ranksPerGroup)
                .Select(g => Enumerable.Range(firstWorker + g * ranksPerGroup, ranksPerGroup).ToArray()).ToArray();

            var journals = Budgets.ToDictionary(b => b.Key, b => Journal.Read(Path.Combine(directory, $"{b.Key}.jsonl"), b.Value, context));
            // Only the coordinator rank wrote: exactly the regions' two journals, nothing else.
            Assert.Equal(["east.jsonl", "west.jsonl"], Directory.GetFiles(directory).Select(f => Path.GetFileName(f)).Order().ToArray());

            CheckStates(journals, ranksPerGroup, context);
            CheckNoDuplicateSuggestions(journals, context);
            var trialsByGroup = CheckEveryRankOfOneGroupRanEachTrial(run, groups, journals, context);
            CheckLossesEqualOneDevice(run, groups, trialsByGroup, journals, context);
            CheckAsynchronousHandOut(run, groups, trialsByGroup, journals, context);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void CheckStates(Dictionary<string, Journal> journals, int ranksPerGroup, string context)
    {
        foreach (var (region, journal) in journals)
        {
            foreach (var trial in journal.Trials.Values)
            {
                var (state, epochs) = (region, trial.Id) switch
                {
                    ("west", 1) => (TrialState.Failed, 0),
                    ("east", 3) => (TrialState.Pruned, 2),
                    _ => (TrialState.Completed, StudyTrial.Epochs),
                };
                if (trial.State != state || trial.Epochs.Count != epochs)
                    throw new XunitException($"{region} trial {trial.Id}: {trial.State} after {trial.Epochs.Count} epochs (error {trial.Error}), expected {state} after {epochs}\n{context}");
            }
        }
        // The failure is recorded with every rank's error: each rank of the group threw.
        var error = journals["west"].Trials[1].Error ?? "";
        Assert.Equal(ranksPerGroup, error.Split("planned failure in west trial 1").Length - 1);
        var pruned = journals["east"].Trials[3];
        Assert.Equal(pruned.Epochs[^1], pruned.Value); // a pruned trial keeps its last reported value
    }

    private static void CheckNoDuplicateSuggestions(Dictionary<string, Journal> journals, string context)
    {
        foreach (var (region, journal) in journals)
        {
            var trials = journal.Trials.Values.ToArray();
            foreach (var a in trials)
            foreach (var b in trials.Where(b => b.Id > a.Id))
            {
                // Trials that were pending at the same time must differ; so must any two the optimiser was told about.
                var overlapped = a.StartedLine < b.FinishedLine && b.StartedLine < a.FinishedLine;
                var bothTold = a.State != TrialState.Failed && b.State != TrialState.Failed;
                if ((overlapped || bothTold) && a.Parameters.Equals(b.Parameters))
                    throw new XunitException($"{region} trials {a.Id} and {b.Id} got the same parameters {a.Parameters}\n{context}");
            }
        }
    }

    /// <summary>Each trial ran on exactly one group, on every rank of it; returns each group's trials in order.</summary>
    private static List<(string Region, int Id)>[] CheckEveryRankOfOneGroupRanEachTrial(WorkerRun run, int[][] groups, Dictionary<string, Journal> journals, string context)
    {
        var byGroup = new List<(string, int)>[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            var perRank = groups[g].Select(rank => run.Lines(rank).Where(l => l.StartsWith("ran ", StringComparison.Ordinal))
                .Select(l => l.Split(' ')).Select(p => (p[1], int.Parse(p[2], CultureInfo.InvariantCulture))).ToList()).ToArray();
            foreach (var (rank, index) in groups[g].Select((rank, index) => (rank, index)))
            {
                if (!perRank[index].SequenceEqual(perRank[0]))
                    throw new XunitException($"rank {rank} of group {g} ran other trials than its leader\n{context}");
                Assert.Contains($"role worker group {g} shards {groups[g].Length} group-primary={index == 0}", run.Lines(rank));
            }
            byGroup[g] = perRank[0];
            Assert.NotEmpty(byGroup[g]); // both groups worked
        }
        var all = byGroup.SelectMany(t => t).ToList();
        var expected = journals.SelectMany(j => j.Value.Trials.Keys.Select(id => (j.Key, id))).ToList();
        if (all.Count != expected.Count || all.ToHashSet().Count != all.Count || !all.ToHashSet().SetEquals(expected))
            throw new XunitException($"the groups ran [{string.Join(", ", all)}], expected each of [{string.Join(", ", expected)}] exactly once\n{context}");
        return byGroup;
    }

    /// <summary>
    /// Each trial's per-epoch losses in the journal equal the same parameters trained on one in-process device (so a
    /// 2-rank group really trained the model, split, on its communicator), and every rank of the group saw them.
    /// </summary>
    private static void CheckLossesEqualOneDevice(WorkerRun run, int[][] groups, List<(string Region, int Id)>[] trialsByGroup, Dictionary<string, Journal> journals, string context)
    {
        for (var g = 0; g < groups.Length; g++)
        {
            foreach (var (region, id) in trialsByGroup[g])
            {
                var trial = journals[region].Trials[id];
                if (trial.State == TrialState.Failed) continue;
                var reference = new List<double>();
                StudyTrial.Train(trial.Parameters, region, DeviceGroup.Cpu(1), (_, loss) =>
                {
                    reference.Add(loss);
                    return false;
                });
                for (var e = 0; e < trial.Epochs.Count; e++)
                {
                    if (Math.Abs(trial.Epochs[e] - reference[e]) > 1e-5 * Math.Abs(reference[e]))
                        throw new XunitException($"{region} trial {id} epoch {e + 1}: the group's loss {trial.Epochs[e]:R}, one device {reference[e]:R}\n{context}");
                }
                foreach (var (rank, index) in groups[g].Select((rank, index) => (rank, index)))
                {
                    // Every rank trained exactly the journaled parameters (printed round-trip: bit for bit).
                    var start = $"trial {region} {id} start group {g} rank-in-group {index} of {groups[g].Length} parameters {trial.Parameters}";
                    if (!run.Lines(rank).Contains(start))
                        throw new XunitException($"rank {rank} did not print \"{start}\"\n{context}");
                    var printed = run.Lines(rank).Where(l => l.StartsWith($"trial {region} {id} epoch ", StringComparison.Ordinal))
                        .Select(l => double.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture)).ToList();
                    // The loss is all-reduced over the group: every rank has the journal's value to the bit.
                    if (!printed.SequenceEqual(trial.Epochs))
                        throw new XunitException($"rank {rank} printed losses [{string.Join(", ", printed)}] for {region} trial {id}, the journal has [{string.Join(", ", trial.Epochs)}]\n{context}");
                }
            }
        }
    }

    /// <summary>
    /// Group 1's first trial was held (by the objective, on an event: the journals showing 3 finished trials) until
    /// group 0 had finished 3 trials: so group 0 was given new trials while group 1's was still running.
    /// </summary>
    private static void CheckAsynchronousHandOut(WorkerRun run, int[][] groups, List<(string Region, int Id)>[] trialsByGroup, Dictionary<string, Journal> journals, string context)
    {
        Assert.Contains("group 1 saw 3 finished trials", run.Lines(groups[1][0]));
        var (region, id) = trialsByGroup[1][0];
        var held = journals[region].Trials[id];
        var finishedMeanwhile = trialsByGroup[0].Select(t => journals[t.Region].Trials[t.Id])
            .Count(t => t.Started > held.Started && t.Ended < held.Ended);
        if (finishedMeanwhile < 3)
            throw new XunitException($"group 0 started and finished {finishedMeanwhile} trials while group 1 ran {region} trial {id}; expected at least 3\n{context}");
    }

    /// <summary>A region's journal, read line by line: each trial started once and finished once, ids 0..budget−1.</summary>
    private sealed record Journal(Dictionary<int, JournalTrial> Trials)
    {
        public static Journal Read(string path, int budget, string context)
        {
            var trials = new Dictionary<int, JournalTrial>();
            var lines = File.ReadAllLines(path);
            for (var n = 0; n < lines.Length; n++)
            {
                using var json = JsonDocument.Parse(lines[n]);
                var root = json.RootElement;
                var id = root.GetProperty("trial").GetInt32();
                switch (root.GetProperty("event").GetString())
                {
                    case "started":
                        var parameters = new TrialParameters(root.GetProperty("parameters").EnumerateObject().Select(p => new KeyValuePair<string, double>(p.Name, p.Value.GetDouble())));
                        if (!trials.TryAdd(id, new JournalTrial(id, parameters, n, Time(root))))
                            throw new XunitException($"{path}:{n + 1}: trial {id} started twice\n{context}");
                        break;
                    case "epoch":
                        trials[id].Epochs.Add(Number(root.GetProperty("value")));
                        break;
                    case "finished":
                        var trial = trials[id];
                        if (trial.FinishedLine >= 0)
                            throw new XunitException($"{path}:{n + 1}: trial {id} finished twice\n{context}");
                        trials[id] = trial with
                        {
                            FinishedLine = n, Ended = Time(root), Value = Number(root.GetProperty("value")),
                            State = Enum.Parse<TrialState>(root.GetProperty("state").GetString()!),
                            Error = root.GetProperty("error").GetString(),
                        };
                        break;
                }
            }
            if (!trials.Keys.Order().SequenceEqual(Enumerable.Range(0, budget)) || trials.Values.Any(t => t.FinishedLine < 0))
                throw new XunitException($"{path}: trials [{string.Join(", ", trials.Values.Select(t => $"{t.Id}{(t.FinishedLine < 0 ? " unfinished" : "")}"))}], expected 0..{budget - 1}, each finished\n{context}");
            // The study's own reader accepts the journal too (so a resume would work).
            Assert.Equal(budget, StudyJournal.Read(path, TunedAutoencoder.SearchSpace).Finished.Count);
            return new Journal(trials);
        }

        private static DateTimeOffset Time(JsonElement root) => DateTimeOffset.Parse(root.GetProperty("time").GetString()!, CultureInfo.InvariantCulture);

        private static double Number(JsonElement value) => value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDouble();
    }

    private sealed record JournalTrial(int Id, TrialParameters Parameters, int StartedLine, DateTimeOffset Started)
    {
        public List<double> Epochs { get; init; } = [];
        public int FinishedLine { get; init; } = -1;
        public DateTimeOffset Ended { get; init; }
        public double Value { get; init; }
        public TrialState State { get; init; }
        public string? Error { get; init; }
    }
}
