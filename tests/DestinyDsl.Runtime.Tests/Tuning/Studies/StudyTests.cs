using System.Collections.Concurrent;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;
using static DestinyDsl.Runtime.Tests.Tuning.Studies.StudyFixtures;

namespace DestinyDsl.Runtime.Tests.Tuning.Studies;

public class StudyTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FourConcurrentTrialsRunAtOnceAndNeverShareParameters()
    {
        var active = 0;
        var maxActive = 0;
        var fourRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var study = new Study(Space, Fast());
        var result = await study.RunAsync(async (TrialContext trial, CancellationToken ct) =>
        {
            var now = Interlocked.Increment(ref active);
            InterlockedMax(ref maxActive, now);
            if (now == 4)
                fourRunning.TrySetResult();
            try
            {
                if (trial.TrialId < 4)
                    await fourRunning.Task.WaitAsync(HangGuard, ct); // the first four must overlap
                else
                    await Task.Yield();
                return Bowl(trial.Parameters);
            }
            finally
            {
                Interlocked.Decrement(ref active);
            }
        }, new StudyOptions { TrialBudget = 14, Concurrency = 4 });

        Assert.Equal(4, maxActive);
        Assert.Equal(Enumerable.Range(0, 14), result.Trials.Select(t => t.Id));
        Assert.All(result.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(14, result.Trials.Select(t => t.Parameters).Distinct().Count());
        Assert.Equal(result.Trials.Min(t => t.Value), result.BestValue);
    }

    [Fact]
    public async Task EveryTrialIsDistinctFromThoseRunningBesideIt()
    {
        // Overlap recorded per trial: the parameters running at the moment each trial started.
        var running = new ConcurrentDictionary<int, TrialParameters>();
        var clashes = 0;
        var study = new Study(Space, Fast(seed: 3));
        var result = await study.RunAsync(async (TrialContext trial, CancellationToken ct) =>
        {
            foreach (var other in running.Values)
                if (other.Equals(trial.Parameters))
                    Interlocked.Increment(ref clashes);
            running[trial.TrialId] = trial.Parameters;
            await Task.Delay(1 + (trial.TrialId % 3), ct);
            running.TryRemove(trial.TrialId, out _);
            return Bowl(trial.Parameters);
        }, new StudyOptions { TrialBudget = 12, Concurrency = 4 });
        Assert.Equal(0, clashes);
        Assert.Equal(12, result.Trials.Count);
    }

    [Fact]
    public async Task AThrowingTrialIsRecordedAsFailedAndTheStudyGoesOn()
    {
        var study = new Study(Space, Fast());
        var result = await study.RunAsync((TrialContext trial, CancellationToken ct) =>
            trial.TrialId == 2 ? throw new InvalidOperationException("out of memory on purpose") : Task.FromResult(Bowl(trial.Parameters)),
            new StudyOptions { TrialBudget = 6 });

        Assert.Equal(6, result.Trials.Count);
        var failed = Assert.Single(result.Trials, t => t.State == TrialState.Failed);
        Assert.Equal(2, failed.Id);
        Assert.Equal("InvalidOperationException: out of memory on purpose", failed.Error);
        Assert.True(double.IsNaN(failed.Value));
        Assert.All(result.Trials.Where(t => t.Id != 2), t => Assert.Equal(TrialState.Completed, t.State));
        Assert.NotEqual(2, result.BestTrial!.Id);
    }

    [Fact]
    public async Task AFailedSettingIsNeverSuggestedAgain()
    {
        // Every trial of the initial design fails: each must still get a new setting (a forgotten failure makes the
        // design offer the same point again, and a setting that threw once would be retried for the whole budget).
        var study = new Study(Space, Fast());
        var result = await study.RunAsync((TrialContext trial, CancellationToken ct) =>
            trial.TrialId < 4 ? throw new InvalidOperationException("fails on purpose") : Task.FromResult(Bowl(trial.Parameters)),
            new StudyOptions { TrialBudget = 7 });

        Assert.Equal(4, result.Trials.Count(t => t.State == TrialState.Failed));
        Assert.Equal(7, result.Trials.Select(t => t.Parameters).Distinct().Count());
    }

    [Fact]
    public void A_failed_setting_counts_as_a_used_design_point_and_is_excluded()
    {
        var optimizer = new BayesianOptimizer(Space, Fast());
        var first = optimizer.Suggest();
        optimizer.TellFailed(first);
        var second = optimizer.Suggest();
        Assert.NotEqual(first, second);
        Assert.Contains(first, optimizer.Failed);
        // The same as telling a value for the first point: the design continues at its second point.
        var told = new BayesianOptimizer(Space, Fast());
        told.Tell(told.Suggest(), 1.0);
        Assert.Equal(told.Suggest(), second);
    }

    [Fact]
    public async Task ANonFiniteValueIsRecordedAsDivergedAndTheStudyGoesOn()
    {
        var study = new Study(Space, Fast());
        var result = await study.RunAsync((TrialContext trial, CancellationToken ct) =>
            Task.FromResult(trial.TrialId switch { 1 => double.NaN, 3 => double.PositiveInfinity, _ => Bowl(trial.Parameters) }),
            new StudyOptions { TrialBudget = 8 });

        Assert.Equal(8, result.Trials.Count);
        Assert.Equal([1, 3], result.Trials.Where(t => t.State == TrialState.Diverged).Select(t => t.Id));
        Assert.Contains("NaN", result.Trials[1].Error);
        Assert.True(double.IsFinite(result.BestValue));
        Assert.Equal(6, result.Trials.Count(t => t.State == TrialState.Completed));
    }

    [Fact]
    public async Task TheMedianRulePrunesAClearlyBadTrialAndRecordsItsEpochs()
    {
        var study = new Study(Space, Fast());
        var result = await study.RunAsync((TrialContext trial, CancellationToken ct) =>
        {
            // Trials 0-3 and 5 converge to small losses, each better than the ones before; trial 4 is far worse at every epoch.
            var last = double.NaN;
            for (var epoch = 1; epoch <= 5; epoch++)
            {
                last = trial.TrialId switch { 4 => 100 + epoch, 5 => (1.0 / epoch) - 0.1, _ => (1.0 / epoch) - (trial.TrialId * 0.01) };
                if (trial.TrialId == 6 && epoch > 1)
                    last = 1000; // trial 6 stops itself by exception once pruned
                if (trial.Report(epoch, last))
                {
                    if (trial.TrialId == 6)
                        trial.ThrowIfPruned();
                    return Task.FromResult(last);
                }
            }
            return Task.FromResult(last);
        }, new StudyOptions { TrialBudget = 7, Pruner = new MedianPruner(MinTrials: 3, WarmupEpochs: 2) });

        var bad = result.Trials[4];
        Assert.Equal(TrialState.Pruned, bad.State);
        Assert.Equal(2, bad.EpochsRun); // epoch 1 is warm-up, stopped at epoch 2
        Assert.Equal(102, bad.Value); // the last reported value
        Assert.Equal([new EpochMetric(1, 101), new EpochMetric(2, 102)], bad.Epochs);
        Assert.Equal(TrialState.Completed, result.Trials[5].State);
        Assert.Equal(5, result.Trials[5].EpochsRun);
        Assert.Equal(TrialState.Pruned, result.Trials[6].State);
        Assert.Equal(2, result.Trials[6].EpochsRun);
        Assert.All(result.Trials.Take(4), t => Assert.Equal((TrialState.Completed, 5), (t.State, t.EpochsRun)));
    }

    private static readonly TrialParameters SomeParameters = TrialParameters.Of(("x", 0.1), ("lr", 0.01));

    private static TrialRecord Done(int id, params double[] values)
    {
        var now = DateTimeOffset.UtcNow;
        return new(id, SomeParameters, TrialState.Completed, values[^1], values.Select((v, i) => new EpochMetric(i + 1, v)).ToArray(), now, now, null);
    }

    private static PruningContext At(int epoch, double[] history, TrialRecord[] finished, OptimizationDirection direction = OptimizationDirection.Minimize, RunningTrial[]? running = null) =>
        new(99, epoch, history.Select((v, i) => new EpochMetric(i + 1, v)).ToArray(), finished, running ?? [], direction);

    [Fact]
    public void TheMedianRuleWaitsForEnoughCompletedTrials()
    {
        var pruner = new MedianPruner(MinTrials: 2);
        Assert.False(pruner.ShouldPrune(At(1, [5.0], [Done(0, 1)])));
        Assert.True(pruner.ShouldPrune(At(1, [5.0], [Done(0, 1), Done(1, 2)])));
        Assert.False(pruner.ShouldPrune(At(1, [5.0], [Done(0, 1), Done(1, 2)], OptimizationDirection.Maximize)));
        Assert.False(pruner.ShouldPrune(At(1, [1.4], [Done(0, 1), Done(1, 2)])));
        Assert.False(pruner.ShouldPrune(At(2, [1.4, 9], [Done(0, 1, 3), Done(1, 2, 2)]))); // best so far 1.4 < median 2.5
        Assert.True(pruner.ShouldPrune(At(1, [double.NaN], [Done(0, 1), Done(1, 2)])));
    }

    [Fact]
    public void SuccessiveHalvingKeepsTheBestThirdAtEachRung()
    {
        var asha = new SuccessiveHalvingPruner(MinEpochs: 1, ReductionFactor: 3);
        Assert.Equal([1, 3, 9, 27], Enumerable.Range(0, 30).Where(asha.IsRung));
        // Not a rung: never pruned.
        Assert.False(asha.ShouldPrune(At(2, [9, 9], [Done(0, 1, 1), Done(1, 1, 1), Done(2, 1, 1)])));
        // Rung 1, fewer than η trials there: no decision.
        Assert.False(asha.ShouldPrune(At(1, [9], [Done(0, 1)])));
        // Rung 1 with 6 trials (5 others + itself): the best ⌊6/3⌋ = 2 go on. Running trials count.
        var running = new[] { new RunningTrial(7, SomeParameters, [new EpochMetric(1, 0.5)]) };
        TrialRecord[] finished = [Done(0, 1), Done(1, 2), Done(2, 3), Done(3, 4)];
        Assert.False(asha.ShouldPrune(At(1, [0.1], finished, running: running)));  // best
        Assert.False(asha.ShouldPrune(At(1, [0.7], finished, running: running)));  // second (0.5 is better)
        Assert.True(asha.ShouldPrune(At(1, [1.5], finished, running: running)));   // third
        Assert.True(asha.ShouldPrune(At(1, [0.7], finished, OptimizationDirection.Maximize, running)));
    }

    [Fact]
    public async Task SuccessiveHalvingStopsTheWorstTrialsAtTheFirstRung()
    {
        double[] level = [5, 4, 3, 2, 1, 9, 9, 9, 0.5];
        var study = new Study(Space, Fast());
        var result = await study.RunAsync((TrialContext trial, CancellationToken ct) =>
        {
            var v = level[trial.TrialId];
            for (var epoch = 1; epoch <= 9; epoch++)
                if (trial.Report(epoch, v))
                    break;
            return Task.FromResult(v);
        }, new StudyOptions { TrialBudget = 9, Pruner = new SuccessiveHalvingPruner(MinEpochs: 1, ReductionFactor: 3) });

        Assert.Equal(9, result.Trials[0].EpochsRun); // alone at every rung: no decision
        Assert.All(result.Trials.Skip(5).Take(3), t => Assert.Equal((TrialState.Pruned, 1), (t.State, t.EpochsRun)));
        Assert.Equal((TrialState.Completed, 9), (result.Trials[8].State, result.Trials[8].EpochsRun));
        Assert.Equal(8, result.BestTrial!.Id);
    }

    [Fact]
    public async Task MaximiseAndMinimiseFollowTheSettings()
    {
        static double Hill(TrialParameters p) => -Bowl(p);
        var max = await new Study(Space, Fast(OptimizationDirection.Maximize)).RunAsync((p, ct) => Task.FromResult(Hill(p)), new StudyOptions { TrialBudget = 12 });
        var min = await new Study(Space, Fast(OptimizationDirection.Minimize)).RunAsync((p, ct) => Task.FromResult(Hill(p)), new StudyOptions { TrialBudget = 12 });

        Assert.Equal(max.Trials.Max(t => t.Value), max.BestValue);
        Assert.Equal(min.Trials.Min(t => t.Value), min.BestValue);
        Assert.True(max.BestValue > -0.2, $"maximising reached only {max.BestValue}");
        Assert.True(min.BestValue < -1, $"minimising reached only {min.BestValue}");
    }

    [Fact]
    public async Task CancellationStopsTheStudyAndLeavesRunningTrialsToTheResume()
    {
        using var dir = new TempDirectory();
        var journal = dir.File("study.jsonl");
        using var cts = new CancellationTokenSource();
        var finished = 0;
        var study = new Study(Space, Fast());
        var options = new StudyOptions
        {
            TrialBudget = 8,
            Concurrency = 2,
            JournalPath = journal,
            TrialFinished = _ =>
            {
                if (++finished == 3)
                    cts.Cancel();
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => study.RunAsync(async (TrialContext trial, CancellationToken ct) =>
        {
            if (trial.TrialId >= 3)
                await Task.Delay(HangGuard, ct); // trials after the first three run until cancelled
            return Bowl(trial.Parameters);
        }, options, cts.Token));

        var ran = new ConcurrentBag<int>();
        var resumed = await study.RunAsync((TrialContext trial, CancellationToken ct) =>
        {
            ran.Add(trial.TrialId);
            return Task.FromResult(Bowl(trial.Parameters));
        }, options with { TrialFinished = null });

        Assert.Equal(Enumerable.Range(0, 8), resumed.Trials.Select(t => t.Id));
        Assert.Equal(Enumerable.Range(3, 5), ran.Order());
        Assert.All(resumed.Trials.Take(3), t => Assert.True(t.Replayed));
        Assert.All(resumed.Trials, t => Assert.Equal(TrialState.Completed, t.State));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }
}
