using System.Globalization;
using DestinyDsl.Runtime;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Distributed.Worker.Scenarios;

/// <summary>
/// A failure, a cancellation or a divergence in the middle of training a split model. Shared by the worker (MPI
/// ranks) and the tests (in-process shards). Each returns the lines a rank prints; a rank that goes on past a failure
/// it should not survive prints "unexpected: …".
/// </summary>
public static class FailureScenario
{
    /// <summary>items → h1 → scores, no dropout or denoising: one forward product into the output per step.</summary>
    public const string Network = "SparseMomentum";

    /// <summary>The output layer's index in <see cref="Network"/>'s spec (items 0, h1 1, scores 2).</summary>
    public const int OutputLayer = 2;

    /// <summary>Steps per epoch (160 rows, batch 16).</summary>
    public const int StepsPerEpoch = 10;

    /// <summary>A fault for shard <paramref name="shard"/> at training step <paramref name="step"/> (1-based).</summary>
    public static ShardFault At(int shard, int step, FaultKind kind) => new(shard, OutputLayer, step, kind);

    /// <summary>Trains two epochs on a group with a throwing shard. Returns the error the caller saw.</summary>
    public static List<string> Fault(DeviceGroup faulty)
    {
        using var model = TrainingScenario.Create(Network, faulty);
        var steps = new List<string>();
        try
        {
            model.Train(TrainingScenario.Data(Network), new TrainingOptions { Epochs = 2 }, new Lines(p => steps.Add($"step {p.Step}")));
            return [.. steps, "unexpected: training finished although a shard failed"];
        }
        catch (Exception e)
        {
            return [.. steps, $"failed {e.GetType().Name}: {e.Message}"];
        }
    }

    /// <summary>
    /// Trains two epochs; the progress callback cancels this process's token after step <paramref name="cancelAfter"/>
    /// when <paramref name="cancelHere"/> (under MPI: on one rank only, the others never cancel). Then trains again to
    /// the end of the two epochs. Lines: each step's loss, where it stopped, the model's step.
    /// </summary>
    public static List<string> Cancel(DeviceGroup devices, bool cancelHere, int cancelAfter)
    {
        using var model = TrainingScenario.Create(Network, devices);
        var data = TrainingScenario.Data(Network);
        var lines = new List<string>();
        using var cancellation = new CancellationTokenSource();
        var progress = new Lines(p =>
        {
            lines.Add($"step {p.Step} loss {p.Loss.ToString("R", CultureInfo.InvariantCulture)}");
            if (cancelHere && p.Step == cancelAfter) cancellation.Cancel();
        });
        try
        {
            model.Train(data, new TrainingOptions { Epochs = 2 }, progress, cancellation.Token);
            lines.Add("unexpected: not cancelled");
        }
        catch (OperationCanceledException)
        {
            lines.Add($"cancelled at step {model.Step}");
        }
        // The rest of epoch 0 counts as the first of the two epochs asked for.
        model.Train(data, new TrainingOptions { Epochs = 2 }, progress);
        lines.Add($"finished at step {model.Step}");
        return lines;
    }

    /// <summary>
    /// Trains on a group where one shard's output turns NaN at one step. Every shard must throw the same
    /// <see cref="TrainingDivergedException"/>, and the model must still work afterwards (a loss over the data).
    /// </summary>
    public static List<string> Diverge(DeviceGroup poisoned)
    {
        using var model = TrainingScenario.Create(Network, poisoned);
        var data = TrainingScenario.Data(Network);
        var lines = new List<string>();
        try
        {
            model.Train(data, new TrainingOptions { Epochs = 2 });
            lines.Add("unexpected: training finished although a shard's output was NaN");
        }
        catch (TrainingDivergedException e)
        {
            lines.Add($"diverged layer={e.Layer} step={e.Step}: {e.Message}");
        }
        var loss = model.Loss(data);
        lines.Add($"loss afterwards finite={double.IsFinite(loss)}");
        return lines;
    }

    private sealed class Lines(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
