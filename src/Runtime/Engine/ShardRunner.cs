using System.Runtime.ExceptionServices;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Distributed.Mpi;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Runs one SPMD body per local shard: inline when the process holds one shard (P = 1, or one MPI rank), on one
/// dedicated thread per shard otherwise. If a shard fails, the others must not wait forever for it in a collective:
/// in-process the group's collectives are aborted (the waiting shards throw and end), and the failure is rethrown as a
/// <see cref="ShardFailedException"/> naming the shard; under MPI the failing rank prints that exception and ends the
/// job (<c>MPI_Abort</c>), the only way to release ranks blocked in an MPI collective. Failures every shard agreed on
/// (<see cref="AgreedFailure"/>) propagate unchanged and leave the group usable.
/// </summary>
internal static class ShardRunner
{
    public static T[] Run<T>(IShardBackend[] engines, IReadOnlyList<ICommunicator> communicators, Func<IShardBackend, int, T> body)
    {
        if (engines.Length == 1)
        {
            if (communicators[0].Size == 1) return new[] { body(engines[0], 0) };
            try
            {
                return new[] { body(engines[0], 0) };
            }
            catch (Exception e) when (!AgreedFailure.Is(e) && e is not CommunicatorAbortedException)
            {
                throw Fail(communicators[0], e);
            }
        }
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
                    // An agreed failure is raised by every shard at the same point: nobody waits, the group stays usable.
                    if (!AgreedFailure.Is(e)) CommunicatorAbort.Abort(communicators, e);
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
        var first = Array.FindIndex(failures, f => f is not null && f is not CommunicatorAbortedException);
        if (first < 0) first = Array.FindIndex(failures, f => f is not null);
        if (first >= 0)
        {
            var failure = failures[first]!;
            if (AgreedFailure.Is(failure) || failure is CommunicatorAbortedException) ExceptionDispatchInfo.Capture(failure).Throw();
            throw new ShardFailedException(communicators[first].Rank, communicators[first].Size, null, failure);
        }
        return results;
    }

    /// <summary>
    /// A failure of this process's only shard of a multi-process group: the others are (or will be) blocked in a
    /// collective waiting for it. Aborts the group with a <see cref="ShardFailedException"/> naming the shard: under MPI
    /// that prints it and ends the job (it does not return); a communicator whose abort returns gets the exception back.
    /// </summary>
    public static ShardFailedException Fail(ICommunicator communicator, Exception failure)
    {
        var location = communicator is MpiCommunicator mpi ? $"MPI rank {mpi.Session.WorldRank} of {mpi.Session.WorldSize}" : null;
        var named = new ShardFailedException(communicator.Rank, communicator.Size, location, failure);
        communicator.Abort(named);
        return named;
    }
}
