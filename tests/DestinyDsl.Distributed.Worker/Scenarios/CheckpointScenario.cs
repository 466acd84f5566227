using System.Globalization;
using DestinyDsl.Runtime;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Distributed.Worker.Scenarios;

/// <summary>
/// Checkpoints of models split over shards or ranks: train and save, load (into any split) and continue, and what a
/// save or load moves. Shared by the worker (MPI ranks) and the tests (one device, in-process shards), so the files
/// and the losses compare across all of them. Data and networks are <see cref="TrainingScenario"/>'s.
/// </summary>
public static class CheckpointScenario
{
    /// <summary>Trains <paramref name="epochs"/> epochs from a fresh model, saves to <paramref name="path"/>; lines: each step's loss.</summary>
    public static List<string> TrainAndSave(string network, DeviceGroup devices, string path, int epochs)
    {
        using var model = TrainingScenario.Create(network, devices);
        var lines = Train(model, network, epochs);
        model.Save(path);
        lines.Add($"saved step {model.Step} epoch {model.Epoch}");
        return lines;
    }

    /// <summary>
    /// Loads <paramref name="load"/> into a fresh model, saves that state again to <paramref name="resave"/> (when given:
    /// it must be the same file), then trains <paramref name="epochs"/> more epochs; lines: the position loaded, each step's loss.
    /// </summary>
    public static List<string> LoadAndContinue(string network, DeviceGroup devices, string load, string? resave, int epochs)
    {
        using var model = TrainingScenario.Create(network, devices);
        model.Load(load);
        var lines = new List<string> { $"loaded step {model.Step} epoch {model.Epoch}" };
        if (resave is not null) model.Save(resave);
        lines.AddRange(Train(model, network, epochs));
        return lines;
    }

    /// <summary>
    /// A load of <paramref name="bad"/> (missing, corrupt, or another network's) and a save to <paramref name="unwritable"/>
    /// must fail on every rank with the same error (under MPI: the error rank 0 met), leaving the model unchanged and
    /// its group working: a save to <paramref name="good"/> follows. Lines: each error, the model's step afterwards.
    /// </summary>
    public static List<string> Errors(string network, DeviceGroup devices, string bad, string unwritable, string good)
    {
        using var model = TrainingScenario.Create(network, devices);
        var lines = new List<string>();
        foreach (var (what, call) in new (string, Action)[] { ("load", () => model.Load(bad)), ("save", () => model.Save(unwritable)) })
        {
            try
            {
                call();
                lines.Add($"unexpected: {what} succeeded");
            }
            catch (Exception e)
            {
                lines.Add($"{what} failed {e.GetType().Name}: {e.Message}");
            }
        }
        model.Save(good);
        lines.Add($"saved step {model.Step}");
        return lines;
    }

    /// <summary>
    /// A save on a group whose shard <c>fault.Shard</c> fails reading one of its blocks in the middle of the transfers
    /// (the others then wait in the next gather). Lines: what the caller saw, which under MPI must never be printed.
    /// </summary>
    public static List<string> FailingSave(DeviceGroup faulty, string path)
    {
        using var model = TrainingScenario.Create("SparseRmsProp", faulty);
        try
        {
            model.Save(path);
            return ["unexpected: saved although a shard failed"];
        }
        catch (Exception e)
        {
            return [$"unexpected: save failed with {e.GetType().Name} and the rank went on: {e.Message}"];
        }
    }

    /// <summary>
    /// What one save and one load move on this rank, for a model wide enough (<paramref name="items"/> items) that a
    /// whole tensor dwarfs everything else: the bytes the communicator counted per collective, the bytes this thread
    /// allocated, this shard's parameter bytes and the whole model's (optimizer state included).
    /// </summary>
    public static List<string> Traffic(DeviceGroup devices, int items, string path)
    {
        using var model = new Networks.SparseRmsProp(itemsWidth: items, devices: devices);
        var shard = model.ShardBackends;
        if (shard.Count != 1) throw new ScenarioFailure("the traffic scenario needs one shard per process (MPI ranks)");
        var engine = shard[0];
        var counters = engine.Communicator.Counters;
        var lines = new List<string> { $"bytes shard={ShardBytes(engine)} model={ModelBytes(model.Spec, engine.StateCount)}" };
        model.Save(path); // warm-up: the first call JITs
        model.Load(path);
        foreach (var (what, call) in new (string, Action)[] { ("save", () => model.Save(path)), ("load", () => model.Load(path)) })
        {
            counters.Reset();
            var before = GC.GetAllocatedBytesForCurrentThread();
            call();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            lines.Add($"{what} allocated={allocated} allgather={counters.AllGatherBytes} reducescatter={counters.ReduceScatterBytes} "
                      + $"allreduce={counters.AllReduceBytes} broadcast={counters.BroadcastBytes} gather={counters.GatherBytes} scatter={counters.ScatterBytes}");
        }
        return lines;
    }

    /// <summary>The bytes of every parameter tensor and its optimizer state.</summary>
    public static long ModelBytes(NetworkSpec spec, int stateCount)
    {
        long floats = 0;
        foreach (var layer in spec.Layers.Where(l => l.Kind != LayerKind.Input))
            floats += layer.Width * (1L + layer.Sources.Sum(s => (long)spec[s].Width));
        return floats * (1 + stateCount) * sizeof(float);
    }

    /// <summary>The bytes of this shard's blocks and slices of every parameter tensor and its optimizer state.</summary>
    internal static long ShardBytes(IShardBackend engine)
    {
        var plan = engine.Plan;
        long floats = plan.Edges.Sum(e => (long)engine.BlockOf(e.Index, engine.Rank).Count);
        for (var layer = 0; layer < plan.Spec.Layers.Count; layer++)
            if (plan.Spec.Layers[layer].Kind != LayerKind.Input) floats += engine.RangesOf(layer)[engine.Rank].Count;
        return floats * (1 + engine.StateCount) * sizeof(float);
    }

    private static List<string> Train(Model model, string network, int epochs)
    {
        var lines = new List<string>();
        model.Train(TrainingScenario.Data(network), new TrainingOptions { Epochs = epochs }, new Lines(p =>
            lines.Add($"step {p.Step} loss {p.Loss.ToString("R", CultureInfo.InvariantCulture)}")));
        return lines;
    }

    private sealed class Lines(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
