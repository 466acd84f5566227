using DestinyDsl.Runtime.Distributed;
using Xunit.Sdk;

namespace DestinyDsl.Distributed.Tests.Support;

/// <summary>
/// Runs one body per in-process shard, each on its own thread, the way the engine does — including the abort
/// protocol: a shard that throws aborts its group, so the others' collectives throw instead of waiting.
/// </summary>
public static class Shards
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="body"/> on every shard and returns the results by rank; rethrows the first failure by rank.</summary>
    public static T[] Run<T>(IReadOnlyList<ICommunicator> comms, Func<ICommunicator, T> body, TimeSpan? timeout = null)
    {
        var results = new T[comms.Count];
        var failures = RunCapturing(comms, comm => results[comm.Rank] = body(comm), timeout);
        // Report the root cause, not the peers' CommunicatorAbortedException.
        var first = failures.FirstOrDefault(f => f is not null and not CommunicatorAbortedException) ?? failures.FirstOrDefault(f => f is not null);
        if (first is not null) throw new XunitException($"shard failed: {first}");
        return results;
    }

    /// <summary>Runs <paramref name="body"/> on every shard; returns each shard's exception (null when it succeeded).</summary>
    public static Exception?[] RunCapturing(IReadOnlyList<ICommunicator> comms, Action<ICommunicator> body, TimeSpan? timeout = null)
    {
        var failures = new Exception?[comms.Count];
        var threads = comms.Select(comm => new Thread(() =>
        {
            try
            {
                body(comm);
            }
            catch (Exception failure)
            {
                failures[comm.Rank] = failure;
                comm.Abort(failure);
            }
        }) { IsBackground = true, Name = $"shard {comm.Rank}" }).ToArray();
        foreach (var thread in threads) thread.Start();

        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        foreach (var thread in threads)
        {
            var left = deadline - DateTime.UtcNow;
            if (left > TimeSpan.Zero && thread.Join(left)) continue;
            comms[0].Abort(new TimeoutException("test timeout"));
            foreach (var t in threads) t.Join(TimeSpan.FromSeconds(5));
            throw new XunitException($"in-process shards did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:F0} s (a collective hung); aborted the group.");
        }
        return failures;
    }

    /// <summary>Disposes every communicator of a group (the end of a model).</summary>
    public static void DisposeAll(IEnumerable<ICommunicator> comms)
    {
        foreach (var comm in comms) comm.Dispose();
    }
}
