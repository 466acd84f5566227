using System.Diagnostics;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Worker;

/// <summary>
/// Latency of one all-gather of a given total size, for the report (not a test): over MPI ranks, and over
/// in-process shards (one thread each). Prints the median of per-call times after a warm-up.
/// </summary>
internal static class Benchmarks
{
    public static int MpiAllGather(int totalBytes, int iterations)
    {
        var group = DeviceGroup.FromMpi();
        Output.SetRank(MpiJob.WorldRank, MpiJob.WorldSize);
        using var comm = group.CreateShardCommunicators().Single();
        var median = Measure(comm, totalBytes, iterations);
        if (comm.Rank == 0) Output.Line($"bench mpi {group.Description} allgather {totalBytes} bytes: median {median * 1e6:F1} us over {iterations} calls");
        return 0;
    }

    public static int InProcessAllGather(int shards, int totalBytes, int iterations)
    {
        var comms = DeviceGroup.Cpu(shards).CreateShardCommunicators();
        var medians = new double[shards];
        var threads = comms.Select((comm, r) => new Thread(() => medians[r] = Measure(comm, totalBytes, iterations))).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Console.WriteLine($"bench in-process cpu×{shards} allgather {totalBytes} bytes: median {medians[0] * 1e6:F1} us over {iterations} calls");
        foreach (var c in comms) c.Dispose();
        return 0;
    }

    private static double Measure(ICommunicator comm, int totalBytes, int iterations)
    {
        int total = totalBytes / sizeof(float);
        var counts = Enumerable.Range(0, comm.Size).Select(r => total * (r + 1) / comm.Size - total * r / comm.Size).ToArray();
        var local = new float[counts[comm.Rank]];
        var result = new float[total];
        var times = new double[iterations];
        for (int i = 0; i < 20; i++) comm.AllGather(local, result, counts);
        for (int i = 0; i < iterations; i++)
        {
            comm.Barrier();
            long start = Stopwatch.GetTimestamp();
            comm.AllGather(local, result, counts);
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(times);
        return times[iterations / 2];
    }
}
