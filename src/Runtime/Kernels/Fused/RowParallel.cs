using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// Runs a per-row body over [0, rows) on the kernel pool when the work is large enough to pay for it. Each row is
/// done by one thread, so results do not depend on the thread count.
/// </summary>
internal static class RowParallel
{
    // Below this many elements in all, one thread is faster than waking others.
    private const long MinimumParallelElements = 1 << 15;

    public static void For(int rows, int rowLength, Action<int> body)
    {
        var threads = KernelThreads.ForCurrentThread;
        if (rows <= 1 || threads <= 1 || (long)rows * rowLength < MinimumParallelElements)
        {
            for (var r = 0; r < rows; r++) body(r);
            return;
        }
        var chunks = Math.Min(rows, threads * 4);
        KernelPool.For(chunks, threads, new Chunks(rows, chunks, body));
    }

    private readonly struct Chunks(int rows, int chunks, Action<int> body) : IParallelWork
    {
        public void Run(int item)
        {
            var end = (int)((long)rows * (item + 1) / chunks);
            for (var r = (int)((long)rows * item / chunks); r < end; r++) body(r);
        }
    }
}
