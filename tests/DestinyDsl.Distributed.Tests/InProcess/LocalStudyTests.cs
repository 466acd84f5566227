using System.Collections.Concurrent;
using DestinyDsl.Distributed.Worker.Networks;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Distributed.Tests.InProcess;

/// <summary>
/// Levels 2 and 3 in one process: a study whose concurrent trials each train model-parallel on their own part of
/// <c>DeviceGroup.Cpu(4).Partition(2)</c>; every trial's per-epoch losses equal the same parameters on one device.
/// </summary>
public class LocalStudyTests
{
    [Fact]
    public async Task Concurrent_trials_train_split_on_their_own_device_groups()
    {
        var groups = DeviceGroup.Cpu(4).Partition(2);
        var groupOf = new ConcurrentDictionary<int, DeviceGroup>();
        var settings = new OptimizerSettings { Seed = 3, BurnIn = 10, HyperparameterSamples = 2, CandidateCount = 200, LocalStarts = 1, LocalBudget = 40 };
        var result = await new Study(TunedAutoencoder.SearchSpace, settings).RunAsync((TrialContext trial, CancellationToken ct) =>
        {
            groupOf[trial.TrialId] = trial.Devices!;
            return Task.FromResult(StudyTrial.Train(trial.Parameters, "local", trial.Devices!, (epoch, loss) => trial.Report(epoch, loss)));
        }, new StudyOptions { TrialBudget = 6, DeviceGroups = groups }).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(6, result.Trials.Count(t => t.State == TrialState.Completed && t.EpochsRun == StudyTrial.Epochs));
        Assert.Equal(groups.ToHashSet(), groupOf.Values.ToHashSet());
        Assert.All(groupOf.Values, g => Assert.Equal(2, g.ShardCount));
        foreach (var trial in result.Trials)
        {
            var reference = new List<double>();
            StudyTrial.Train(trial.Parameters, "local", DeviceGroup.Cpu(1), (_, loss) =>
            {
                reference.Add(loss);
                return false;
            });
            for (var e = 0; e < reference.Count; e++)
                Assert.True(Math.Abs(trial.Epochs[e].Value - reference[e]) <= 1e-5 * Math.Abs(reference[e]),
                    $"trial {trial.Id} epoch {e + 1}: {trial.Epochs[e].Value:R} on {groupOf[trial.Id]}, one device {reference[e]:R}");
        }
    }
}
