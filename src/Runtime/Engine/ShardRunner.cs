using System.Runtime.ExceptionServices;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Runs one SPMD body per local shard: inline when the process holds one shard (P = 1, or one MPI rank), on one
/// dedicated thread per shard otherwise. If a shard fails, the group's collectives are aborted so the other
/// shards do not wait forever, and the first failure is rethrown with its original stack.
/// </summary>
internal static class ShardRunner
{
    public static T[] Run<T>(IShardBackend[] engines, IReadOnlyList<ICommunicator> communicators, Func<IShardBackend, int, T> body)
    {
        if (engines.Length == 1) return new[] { body(engines[0], 0) };
        var results = new T[engines.Length];
        var failures = new Exception?[engines.Length];
        var threads = new Thread[engines.Length];
        for (var i = 0; i < engines.Length; i++)
        {
            var shard = i;
            threads[i] = new Thread(() =>
            {
                try
                {
                    // The shards share the cores: each one's kernels take an equal part of them.
                    using var cores = KernelThreads.Limit(Math.Max(1, KernelThreads.Count / engines.Length));
                    results[shard] = body(engines[shard], shard);
                }
                catch (Exception e)
                {
                    failures[shard] = e;
                    CommunicatorAbort.Abort(communicators, e);
                }
            })
            {
                IsBackground = true,
                Name = $"DestinyDsl shard {shard}",
            };
            threads[i].Start();
        }
        foreach (var t in threads) t.Join();
        // Report the shard that failed first on its own, not the others' "aborted" errors it caused.
        var first = failures.FirstOrDefault(f => f is not null && f is not CommunicatorAbortedException) ?? failures.FirstOrDefault(f => f is not null);
        if (first is not null) ExceptionDispatchInfo.Capture(first).Throw();
        return results;
    }
}
