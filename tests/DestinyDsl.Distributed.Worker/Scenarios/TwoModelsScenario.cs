using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Worker.Scenarios;

/// <summary>
/// Two models on the same shards at the same time, each with its own communicators
/// (<see cref="DeviceGroup.CreateShardCommunicators"/> twice), driven from two threads per shard with different
/// lengths and values: their collectives must never match each other's.
/// </summary>
public static class TwoModelsScenario
{
    public const int Steps = 40;

    public static List<string> Run(ICommunicator first, ICommunicator second)
    {
        var results = new string[2];
        Exception? failure = null;
        var threads = new[] { (first, 0), (second, 1) }.Select(pair => new Thread(() =>
        {
            try { results[pair.Item2] = Train(pair.Item1, model: pair.Item2); }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (failure is not null) throw new ScenarioFailure($"two models: {failure.GetType().Name}: {failure.Message}");
        return [.. results];
    }

    private static string Train(ICommunicator comm, int model)
    {
        int length = model == 0 ? 1000 : 37;
        var buffer = new float[length];
        for (int step = 0; step < Steps; step++)
        {
            for (int i = 0; i < length; i++) buffer[i] = (model + 1) * (comm.Rank + 1) + step + i % 5;
            comm.AllReduce(buffer, ReductionOperation.Sum);
            for (int i = 0; i < length; i++)
            {
                float wanted = (model + 1) * comm.Size * (comm.Size + 1) / 2f + comm.Size * (step + i % 5);
                if (buffer[i] != wanted)
                    throw new ScenarioFailure($"model {model} rank {comm.Rank} step {step} element {i}: {buffer[i]}, expected {wanted} (collectives of two models mixed?)");
            }
        }
        return $"model {model} steps={Steps} length={length} allreduce-bytes={comm.Counters.AllReduceBytes}";
    }
}
