using System.Runtime.ExceptionServices;

namespace DestinyDsl.Runtime.Kernels.Threading;

/// <summary>
/// The kernels' thread pool: persistent background workers shared by every caller in the process, and a
/// parallel-for over work items that allocates nothing per call.
/// </summary>
/// <remarks>
/// The calling thread always runs items of its own loop, so a loop finishes even when every worker is busy with
/// other callers' loops (several model shards call kernels concurrently from their own threads). Calls from a
/// worker, or from inside an item on the calling thread, run inline: a worker never waits for other workers, so
/// nothing can deadlock.
/// </remarks>
internal static class KernelPool
{
    private const int MaxWorkers = 255;

    private static readonly Lock Gate = new();
    private static readonly List<ParallelJob> Listed = [];     // loops that may still take helpers (under Gate)
    private static readonly SemaphoreSlim Wake = new(0, int.MaxValue);
    private static int _workerCount;

    // > 0 on pool workers and on a calling thread while it runs items: kernel calls made there run inline.
    [ThreadStatic]
    private static int _insideDepth;

    /// <summary>True on a pool worker, and on any thread while it runs a kernel's work items.</summary>
    public static bool IsInsideKernel => _insideDepth > 0;

    /// <summary>Workers started so far (grown on demand, never shrunk).</summary>
    public static int WorkerCount => Volatile.Read(ref _workerCount);

    /// <summary>
    /// Runs <c>work.Run(i)</c> for every i in [0, <paramref name="items"/>) on up to <paramref name="threads"/>
    /// threads (the caller included) and returns when all are done. The first exception thrown by an item stops
    /// the items not yet started and is rethrown here.
    /// </summary>
    public static void For<TWork>(int items, int threads, in TWork work)
        where TWork : struct, IParallelWork
    {
        if (items <= 0)
        {
            return;
        }
        var helpers = Math.Min(Math.Min(threads, items) - 1, MaxWorkers);
        if (helpers <= 0 || _insideDepth > 0)
        {
            RunInline(items, work);
            return;
        }

        EnsureWorkers(helpers);
        var job = ParallelJob<TWork>.ForCurrentThread();
        job.Start(items, helpers, work);
        lock (Gate)
        {
            Listed.Add(job);
        }
        Wake.Release(helpers);

        _insideDepth++;
        try
        {
            job.RunItems();
        }
        finally
        {
            _insideDepth--;
            lock (Gate)
            {
                Listed.Remove(job);   // no helper can join from here on
            }
            job.WaitForHelpers();
        }
        job.ThrowIfFailed();
    }

    private static void RunInline<TWork>(int items, in TWork work)
        where TWork : struct, IParallelWork
    {
        var copy = work;
        _insideDepth++;
        try
        {
            for (var i = 0; i < items; i++)
            {
                copy.Run(i);
            }
        }
        finally
        {
            _insideDepth--;
        }
    }

    private static void EnsureWorkers(int wanted)
    {
        if (Volatile.Read(ref _workerCount) >= wanted)
        {
            return;
        }
        lock (Gate)
        {
            while (_workerCount < wanted)
            {
                var thread = new Thread(WorkerLoop)
                {
                    IsBackground = true,
                    Name = $"DestinyDsl kernel worker {_workerCount + 1}",
                };
                thread.Start();
                Volatile.Write(ref _workerCount, _workerCount + 1);
            }
        }
    }

    private static void WorkerLoop()
    {
        _insideDepth = 1;
        while (true)
        {
            Wake.Wait();
            while (TryJoin(out var job))
            {
                job.Help();
            }
        }
    }

    private static bool TryJoin(out ParallelJob job)
    {
        lock (Gate)
        {
            foreach (var candidate in Listed)
            {
                if (candidate.TryReserveHelper())
                {
                    job = candidate;
                    return true;
                }
            }
        }
        job = null!;
        return false;
    }
}
