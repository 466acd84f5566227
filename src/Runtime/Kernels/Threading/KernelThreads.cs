namespace DestinyDsl.Runtime.Kernels.Threading;

/// <summary>
/// How many threads a kernel call (<see cref="Gemm"/>, <see cref="SparseKernels"/>) may use: the calling thread plus
/// workers of one shared, persistent pool. Results never depend on this number (see the determinism contract on
/// <see cref="Gemm"/>); only speed does.
/// </summary>
/// <remarks>
/// The process-wide default is <see cref="Count"/>; a thread can lower or raise it for the calls it makes with
/// <see cref="Limit"/> (e.g. each of P in-process model shards running on its own thread takes a share of the cores).
/// Calls made from inside a kernel (from a pool worker or an epilogue) always run inline on their thread.
/// </remarks>
public static class KernelThreads
{
    private static int _count = Environment.ProcessorCount;

    [ThreadStatic]
    private static int _threadLimit;

    /// <summary>Default threads per kernel call: <see cref="Environment.ProcessorCount"/> unless set (at least 1).</summary>
    public static int Count
    {
        get => Volatile.Read(ref _count);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Count));
            Volatile.Write(ref _count, value);
        }
    }

    /// <summary>Threads the calling thread's next kernel calls use: its <see cref="Limit"/> if set, else <see cref="Count"/>.</summary>
    public static int ForCurrentThread => _threadLimit > 0 ? _threadLimit : Count;

    /// <summary>
    /// Sets the thread count for kernel calls made by the calling thread until the returned scope is disposed
    /// (scopes nest; disposing restores the previous value).
    /// </summary>
    public static Scope Limit(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(threads));
        var previous = _threadLimit;
        _threadLimit = threads;
        return new Scope(previous);
    }

    /// <summary>Restores the calling thread's previous limit when disposed. Dispose on the thread that created it.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly int _previous;

        internal Scope(int previous) => _previous = previous;

        /// <inheritdoc/>
        public void Dispose() => _threadLimit = _previous;
    }
}
