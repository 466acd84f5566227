using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.Models;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tests.Tuning.Models;

/// <summary>The generated typed <c>TuneAsync</c> on a real network (TunedRecommender.dnet) and the runtime's ModelTuner behind it.</summary>
public sealed class ModelTunerTests
{
    private static readonly string[] Paths = ["h1.width", "optimizer.learning_rate", "train.epochs"];

    [Fact]
    public async Task TheTunerSeesTheTrainingEntriesOnlyAndValidatesOnItemsItsTrialsNeverTrainOn()
    {
        var (all, train, test) = TuningFixtures.Data;
        using var result = await TunedRecommender.TuneAsync(train, TuningFixtures.Fast(trials: 2));

        // Everything the tuner trained or validated on is exactly the training matrix: the fit input and the
        // validation items partition it, and no held-out (test) entry is in either.
        var fit = result.Split.Fit.Sparse("items")!;
        var validation = result.Split.ValidationHeldOut!;
        Assert.Equal(train.NonZeroCount, fit.NonZeroCount + validation.NonZeroCount);
        Assert.True(validation.NonZeroCount > 0);
        for (var row = 0; row < train.Rows; row++)
        {
            var kept = fit.RowIndices(row).ToArray();
            var held = validation.RowIndices(row).ToArray();
            Assert.Empty(kept.Intersect(held));
            Assert.Equal(train.RowIndices(row).ToArray(), kept.Concat(held).Order().ToArray());
            Assert.Empty(test.RowIndices(row).ToArray().Intersect(kept.Concat(held)));
        }
        Assert.Equal(all.NonZeroCount, train.NonZeroCount + test.NonZeroCount);
    }

    [Fact]
    public async Task HeldOutEntriesWouldChangeTheStudySoTheTrainingMatrixAloneDecidesIt()
    {
        var (all, train, test) = TuningFixtures.Data;
        // The same training matrix with a different test split (other rows' items moved around) gives the same
        // study to the bit; the held-out entries, were they given, would change it.
        using var first = await TunedRecommender.TuneAsync(train, TuningFixtures.Fast(trials: 3));
        using var again = await TunedRecommender.TuneAsync(SparseMatrix.FromRows(train.Columns, Enumerable.Range(0, train.Rows).Select(r => train.RowIndices(r).ToArray())), TuningFixtures.Fast(trials: 3));
        using var leaked = await TunedRecommender.TuneAsync(all, TuningFixtures.Fast(trials: 3));

        Assert.Contains(Values(first), v => v > 0.05);
        Assert.Equal(Values(first), Values(again));
        Assert.NotEqual(Values(first), Values(leaked));
        Assert.True(test.NonZeroCount > 0);
    }

    [Fact]
    public async Task PrunedTrialsStopAtThePrunersEpochAndRecordTheEpochsTheyRan()
    {
        var observer = new RecordingObserver();
        var settings = TuningFixtures.Fast(trials: 4) with { Pruner = new PruneAtEpoch(2), Observer = observer };
        using var result = await TunedRecommender.TuneAsync(TuningFixtures.Data.Train, settings);

        var defaults = Assert.Single(result.Study.Trials, t => t.Id == ModelTuner.DefaultsTrialId);
        Assert.Equal(TrialState.Completed, defaults.State);
        Assert.Equal(3, defaults.EpochsRun);                              // the file's epochs = 3
        var pruned = result.Study.Trials.Where(t => t.Id != ModelTuner.DefaultsTrialId).ToArray();
        Assert.Equal(3, pruned.Length);
        Assert.All(pruned, t =>
        {
            Assert.Equal(TrialState.Pruned, t.State);
            Assert.True(t.Parameters["train.epochs"] >= 3);                // would have run 3 or more
            Assert.Equal(2, t.EpochsRun);
            Assert.Equal([1, 2], t.Epochs.Select(e => e.Epoch));
            Assert.Equal(t.Epochs[^1].Value, t.Value);
        });
        // Every epoch reported to the study was a validation score the observer saw, in order.
        Assert.Equal(result.Study.Trials.Sum(t => t.EpochsRun), observer.Epochs.Count);
        Assert.Equal([0, 1, 2, 3], observer.Started);
        Assert.Equal(4, observer.Finished.Count);
        Assert.All(observer.Epochs, e => Assert.InRange(e.Value, 0, 1));
        Assert.Same(defaults, result.BestTrial);                          // only trial 0 completed
        Assert.True(result.DefaultsWereBest);
    }

    [Fact]
    public async Task TheRetrainedModelHasTheBestOptionsAndTrainsOnAllTheTrainingData()
    {
        var observer = new RecordingObserver();
        var train = TuningFixtures.Data.Train;
        using var result = await TunedRecommender.TuneAsync(train, TuningFixtures.Fast(trials: 5) with { Observer = observer });

        var completed = result.Study.Trials.Where(t => t.State == TrialState.Completed).ToArray();
        Assert.Equal(completed.Max(t => t.Value), result.BestScore);
        Assert.False(result.DefaultsWereBest, string.Join("; ", result.Study.Trials.Select(t => $"{t.Id}: {t.Value} ({t.Parameters})")));   // so "the best options" are not the defaults
        Assert.True(result.BestScore > result.DefaultsScore);
        Assert.Equal(result.BestParameters, observer.Retrained);
        foreach (var path in Paths)
        {
            Assert.Equal((float)result.BestParameters[path], (float)result.BestOptions.Get(path));
            Assert.Equal(result.BestOptions.Get(path), result.Model.Options.Get(path));
        }
        Assert.Equal((int)result.BestParameters["h1.width"], result.Model.H1.Width);
        var epochs = (int)result.BestParameters["train.epochs"];
        Assert.Equal(epochs, result.Model.Epoch);
        Assert.Equal(epochs * ((train.Rows + 31) / 32), result.Retraining.Steps);   // every training row, batch 32
        Assert.Equal(TunedRecommender.SearchSpace.Dimensions.Select(d => d.Default), result.DefaultsParameters.Values.Select(v => v.Value));
        Assert.Equal(result.DefaultsTrial!.Value, result.DefaultsScore);
    }

    [Fact]
    public async Task TrialsRunAtOnceEachOnItsOwnDeviceGroup()
    {
        // Each slot's group is asked for once; the first two trials must both have started before either may go on.
        var slotsAsked = new System.Collections.Concurrent.ConcurrentBag<int>();
        var groups = new[] { DeviceGroup.Cpu(), DeviceGroup.Cpu() };
        var observer = new BothStart();
        var settings = TuningFixtures.Fast(trials: 4) with
        {
            Concurrency = 2,
            TrialDevices = slot => { slotsAsked.Add(slot); return groups[slot]; },
            Observer = observer,
        };
        using var result = await TunedRecommender.TuneAsync(TuningFixtures.Data.Train, settings);

        Assert.Equal([0, 1], slotsAsked.Order());
        Assert.Equal(4, result.Study.Trials.Count);
        Assert.All(result.Study.Trials, t => Assert.NotEqual(TrialState.Failed, t.State));
        Assert.Equal(4, result.Study.Trials.Select(t => t.Parameters).Distinct().Count());
    }

    /// <summary>Holds trials 0 and 1 at their start until both have started (a hang guard, not a timing assumption).</summary>
    private sealed class BothStart : ITuningObserver
    {
        private readonly CountdownEvent _started = new(2);

        public void TrialStarted(int trialId, TrialParameters parameters)
        {
            if (trialId > 1) return;
            _started.Signal();
            Assert.True(_started.Wait(TimeSpan.FromSeconds(60)), "The second trial never started while the first was starting: trials do not run at once.");
        }
    }

    [Fact]
    public async Task TheLossObjectiveHoldsOutWholeRowsAndMinimises()
    {
        var train = TuningFixtures.Data.Train;
        using var result = await TunedRecommender.TuneAsync(train, TuningFixtures.Fast(trials: 3) with { Objective = TuningObjective.Loss });

        Assert.Equal(OptimizationDirection.Minimize, result.Direction);
        Assert.Null(result.Split.ValidationHeldOut);
        Assert.Equal(train.Rows, result.Split.Fit.Rows + result.Split.ValidationInputs.Rows);
        Assert.Equal((int)Math.Round(train.Rows * 0.2), result.Split.ValidationInputs.Rows);
        Assert.Equal(train.NonZeroCount, result.Split.Fit.Sparse("items")!.NonZeroCount + result.Split.ValidationInputs.Sparse("items")!.NonZeroCount);
        Assert.Equal(result.Study.Trials.Where(t => t.State == TrialState.Completed).Min(t => t.Value), result.BestScore);
        Assert.All(result.Study.Trials, t => Assert.True(t.Value > 0));
    }

    [Fact]
    public async Task SettingsThatCannotWorkAreRejectedBeforeAnyTraining()
    {
        var train = TuningFixtures.Data.Train;
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TunedRecommender.TuneAsync(train, new ModelTuningSettings { Trials = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TunedRecommender.TuneAsync(train, new ModelTuningSettings { Concurrency = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TunedRecommender.TuneAsync(train, new ModelTuningSettings { ValidationFraction = 1 }));
        // Rows too short to give a validation item.
        var tiny = SparseMatrix.FromRows(10, [[0, 1], [2, 3]]);
        await Assert.ThrowsAsync<ArgumentException>(() => TunedRecommender.TuneAsync(tiny, new ModelTuningSettings { Trials = 1 }));
    }

    private static double[] Values(ModelTuningResult<TunedRecommender, TunedRecommenderOptions> result)
        => result.Study.Trials.SelectMany(t => t.Epochs.Select(e => e.Value).Append(t.Value)).ToArray();
}
