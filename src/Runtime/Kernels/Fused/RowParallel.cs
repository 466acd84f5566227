namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// Runs a per-row body over [0, rows) on several threads when the work is large enough to pay for it. Each row is
/// done by one thread, so results do not depend on the thread count.
/// </summary>
internal static class RowParallel
{
    // Below this many elements in all, one thread is faster than waking others.
    private const long MinimumParallelElements = 1 << 15;

    public static void For(int rows, int rowLength, Action<int> body)
    {
        if (rows <= 1 || (long)rows * rowLength < MinimumParallelElements)
        {
            for (var r = 0; r < rows; r++) body(r);
            return;
        }
        var chunks = Math.Min(rows, Environment.ProcessorCount * 4);
        Parallel.For(0, chunks, c =>
        {
            var end = (int)((long)rows * (c + 1) / chunks);
            for (var r = (int)((long)rows * c / chunks); r < end; r++) body(r);
        });
    }
}
