using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Tests.Kernels;

public class KernelPoolTests
{
    private readonly struct CountingWork(int[] counts, int[]? threadIds) : IParallelWork
    {
        public void Run(int item)
        {
            Interlocked.Increment(ref counts[item]);
            if (threadIds != null)
            {
                threadIds[item] = Environment.CurrentManagedThreadId;
            }
            Thread.SpinWait(200);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 4)]
    [InlineData(7, 2)]
    [InlineData(1000, 3)]
    [InlineData(64, 16)]
    public void EveryItemRunsExactlyOnce(int items, int threads)
    {
        var counts = new int[items];
        KernelPool.For(items, threads, new CountingWork(counts, null));
        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public void SeveralThreadsTakePartWhenAsked()
    {
        var ids = new int[2000];
        var counts = new int[ids.Length];
        KernelPool.For(ids.Length, 2, new CountingWork(counts, ids));
        Assert.All(counts, c => Assert.Equal(1, c));
        Assert.True(KernelPool.WorkerCount >= 1);
    }

    private readonly struct FailingWork(int failAt, int[] ran) : IParallelWork
    {
        public void Run(int item)
        {
            Interlocked.Increment(ref ran[0]);
            if (item == failAt)
            {
                throw new InvalidOperationException($"item {item} failed");
            }
        }
    }

    [Fact]
    public void AnItemsExceptionReachesTheCallerAndThePoolKeepsWorking()
    {
        var ran = new int[1];
        var error = Assert.Throws<InvalidOperationException>(() => KernelPool.For(500, 3, new FailingWork(123, ran)));
        Assert.Equal("item 123 failed", error.Message);

        var counts = new int[300];
        KernelPool.For(counts.Length, 3, new CountingWork(counts, null));
        Assert.All(counts, c => Assert.Equal(1, c));
    }

    private readonly struct NestingWork(int[] nestedThreadMismatches, int[] inner) : IParallelWork
    {
        public void Run(int item)
        {
            var outerThread = Environment.CurrentManagedThreadId;
            var ids = new int[8];
            var counts = new int[8];
            KernelPool.For(8, 4, new CountingWork(counts, ids));
            foreach (var id in ids)
            {
                if (id != outerThread)
                {
                    Interlocked.Increment(ref nestedThreadMismatches[0]);
                }
            }
            Interlocked.Add(ref inner[0], counts.Sum());
        }
    }

    [Fact]
    public void LoopsStartedInsideAnItemRunInlineOnThatThread()
    {
        var mismatches = new int[1];
        var inner = new int[1];
        KernelPool.For(40, 3, new NestingWork(mismatches, inner));
        Assert.Equal(0, mismatches[0]);
        Assert.Equal(40 * 8, inner[0]);
    }

    [Fact]
    public void ConcurrentLoopsFromManyThreadsAllComplete()
    {
        var results = new int[8][];
        var callers = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (var round = 0; round < 50; round++)
            {
                var counts = new int[37 + t];
                KernelPool.For(counts.Length, 3, new CountingWork(counts, null));
                if (counts.Any(c => c != 1))
                {
                    results[t] = counts;
                    return;
                }
            }
            results[t] = [];
        })).ToArray();
        foreach (var caller in callers)
        {
            caller.Start();
        }
        foreach (var caller in callers)
        {
            Assert.True(caller.Join(TimeSpan.FromMinutes(2)), "a caller did not finish: deadlock");
        }
        Assert.All(results, r => Assert.Empty(r));
    }

    [Fact]
    public void ThreadLimitScopesNestAndRestore()
    {
        var before = KernelThreads.ForCurrentThread;
        using (KernelThreads.Limit(3))
        {
            Assert.Equal(3, KernelThreads.ForCurrentThread);
            using (KernelThreads.Limit(1))
            {
                Assert.Equal(1, KernelThreads.ForCurrentThread);
            }
            Assert.Equal(3, KernelThreads.ForCurrentThread);
        }
        Assert.Equal(before, KernelThreads.ForCurrentThread);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Limit(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Count = 0);
    }
}
