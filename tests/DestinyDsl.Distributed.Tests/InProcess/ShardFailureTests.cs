using DestinyDsl.Distributed.Tests.Mpi;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Training;
using Xunit.Sdk;

namespace DestinyDsl.Distributed.Tests.InProcess;

/// <summary>
/// A failure, a cancellation or a divergence in the middle of training on in-process shards: every shard stops, the
/// error names the shard, nothing hangs (each run is bounded by a hang guard that fails the test).
/// </summary>
public class ShardFailureTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(2, 1, 4)]
    [InlineData(3, 1, 4)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 0, 7)]
    public void An_exception_in_one_shard_mid_step_stops_every_shard_and_names_the_shard(int shards, int faulty, int step)
    {
        var lines = Bounded(() => FailureScenario.Fault(FaultyDevices.InProcess(shards, FailureScenario.At(faulty, step, FaultKind.Throw))));
        // The steps before the fault completed; the fault's step did not.
        Assert.Equal(Enumerable.Range(1, step - 1).Select(s => $"step {s}"), lines.SkipLast(1));
        Assert.StartsWith($"failed ShardFailedException: Shard {faulty} of {shards} failed: InvalidOperationException: injected fault in shard {faulty}'s device", lines[^1]);
    }

    [Fact]
    public void The_failure_is_the_shards_own_exception_and_the_model_refuses_further_collectives()
    {
        using var model = TrainingScenario.Create(FailureScenario.Network, FaultyDevices.InProcess(3, FailureScenario.At(1, 2, FaultKind.Throw)));
        var data = TrainingScenario.Data(FailureScenario.Network);
        var failure = Assert.Throws<ShardFailedException>(() => Bounded(() => model.Train(data)));
        Assert.Equal(1, failure.Shard);
        Assert.Equal(3, failure.ShardCount);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        // The group is aborted: the next call fails at once, with the cause, instead of waiting for shard 1.
        var next = Assert.Throws<CommunicatorAbortedException>(() => Bounded(() => model.Loss(data)));
        Assert.Same(failure.InnerException, next.InnerException);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Cancellation_mid_epoch_stops_every_shard_after_the_same_step_and_the_run_resumes_exactly(int shards)
    {
        var uninterrupted = MpiTrainingTests.Losses(Bounded(() => TrainingScenario.Run(FailureScenario.Network, DeviceGroup.Cpu(shards))));
        var lines = Bounded(() => FailureScenario.Cancel(DeviceGroup.Cpu(shards), cancelHere: true, cancelAfter: 4));
        Assert.Contains("cancelled at step 4", lines);
        Assert.Equal("finished at step 20", lines[^1]);
        Assert.Equal(uninterrupted, MpiTrainingTests.Losses(lines));
    }

    [Theory]
    [InlineData(2, 1, 3)]
    [InlineData(3, 1, 3)]
    [InlineData(3, 2, 6)]
    public void A_nan_in_one_shard_makes_every_shard_throw_the_same_divergence_naming_the_shard(int shards, int poisoned, int step)
    {
        var lines = Bounded(() => FailureScenario.Diverge(FaultyDevices.InProcess(shards, FailureScenario.At(poisoned, step, FaultKind.Poison))));
        Assert.Equal(
            [$"diverged layer=scores step={step - 1}: Training diverged: layer 'scores' became NaN or infinite on shard {poisoned} of {shards} at step {step - 1} (epoch 0, batch {step - 1}). "
             + "Lower the learning rate, check the inputs for NaN/huge values, or add max_norm.",
             "loss afterwards finite=True"],
            lines);
    }

    [Fact]
    public void A_divergence_leaves_the_model_usable_and_is_not_wrapped()
    {
        using var model = TrainingScenario.Create(FailureScenario.Network, FaultyDevices.InProcess(3, FailureScenario.At(2, 2, FaultKind.Poison)));
        var data = TrainingScenario.Data(FailureScenario.Network);
        var diverged = Assert.Throws<TrainingDivergedException>(() => Bounded(() => model.Train(data)));
        Assert.Equal("scores", diverged.Layer);
        // Not aborted: the same model trains on (the poisoned step was never applied, and the fault fires once).
        Bounded(() => model.Train(data));
        Assert.True(double.IsFinite(model.Loss(data)));
    }

    [Fact]
    public void An_error_every_shard_raises_alike_before_any_collective_is_not_wrapped_and_leaves_the_model_usable()
    {
        using var model = TrainingScenario.Create(FailureScenario.Network, DeviceGroup.Cpu(3));
        var empty = new NetworkData().Add("items", DestinyDsl.Runtime.Data.SparseMatrix.FromRows(37, []));
        Assert.Equal("The training data has no rows.", Assert.Throws<ArgumentException>(() => Bounded(() => model.Train(empty))).Message);
        Assert.Equal("The data has no rows.", Assert.Throws<ArgumentException>(() => Bounded(() => model.Loss(empty))).Message);
        Bounded(() => model.Train(TrainingScenario.Data(FailureScenario.Network), new TrainingOptions { Epochs = 1 }));
        Assert.Equal(FailureScenario.StepsPerEpoch, model.Step);
    }

    /// <summary>Runs <paramref name="body"/> on another thread and fails the test if it has not ended within the hang guard.</summary>
    private static T Bounded<T>(Func<T> body)
    {
        var task = Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(HangGuard))
            throw new XunitException($"hung: not finished within {HangGuard.TotalSeconds:F0} s");
        return task.GetAwaiter().GetResult();
    }

    private static void Bounded(Action body) => Bounded(() => { body(); return 0; });
}
