using System.Runtime.ExceptionServices;

namespace DestinyDsl.Runtime.Kernels.Threading;

/// <summary>One running parallel-for: the item counter, the helpers that joined it, the first failure.</summary>
internal abstract class ParallelJob
{
    // The owner waits for the helpers on this monitor. (A ManualResetEventSlim would allocate its lock object on the
    // first wait that has to block, at an unpredictable call: kernels must allocate nothing in steady state.)
    private readonly object _helpersLeft = new();
    private const int SpinsBeforeBlocking = 200;
    private int _count;
    private int _next;
    private int _helpersWanted;   // changed under the pool's gate only
    private int _activeHelpers;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Runs one item; implemented over the loop's body struct.</summary>
    protected abstract void RunItem(int item);

    /// <summary>Prepares the job for a new loop; called by the owning thread before listing it.</summary>
    protected void Reset(int items, int helpers)
    {
        _count = items;
        _helpersWanted = helpers;
        _activeHelpers = 0;
        _failure = null;
        Volatile.Write(ref _next, 0);
    }

    /// <summary>Claims and runs items until none is left (or an item failed).</summary>
    public void RunItems()
    {
        while (true)
        {
            var item = Interlocked.Increment(ref _next) - 1;
            if (item >= _count)
            {
                return;
            }
            try
            {
                RunItem(item);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                Volatile.Write(ref _next, _count);   // items not yet started are skipped
                return;
            }
        }
    }

    /// <summary>Called under the pool's gate: takes one helper slot if the loop wants helpers and has items left.</summary>
    public bool TryReserveHelper()
    {
        if (_helpersWanted <= 0 || Volatile.Read(ref _next) >= _count)
        {
            return false;
        }
        _helpersWanted--;
        Interlocked.Increment(ref _activeHelpers);
        return true;
    }

    /// <summary>A worker's part of the loop, after <see cref="TryReserveHelper"/> succeeded.</summary>
    public void Help()
    {
        RunItems();
        if (Interlocked.Decrement(ref _activeHelpers) == 0)
        {
            lock (_helpersLeft)
            {
                Monitor.PulseAll(_helpersLeft);
            }
        }
    }

    /// <summary>Called by the owner after unlisting the job: returns once every helper that joined has left.</summary>
    public void WaitForHelpers()
    {
        var spinner = default(SpinWait);
        for (var i = 0; i < SpinsBeforeBlocking && Volatile.Read(ref _activeHelpers) > 0; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        if (Volatile.Read(ref _activeHelpers) == 0)
        {
            return;
        }
        lock (_helpersLeft)
        {
            // The last helper pulses under the same lock after its decrement, so the count is re-read safely here.
            while (Volatile.Read(ref _activeHelpers) > 0)
            {
                Monitor.Wait(_helpersLeft);
            }
        }
    }

    /// <summary>Rethrows the first exception an item threw, if any.</summary>
    public void ThrowIfFailed() => _failure?.Throw();
}

/// <summary>A parallel-for over one body type; one instance per calling thread and body type, reused.</summary>
internal sealed class ParallelJob<TWork> : ParallelJob
    where TWork : struct, IParallelWork
{
    [ThreadStatic]
    private static ParallelJob<TWork>? _forThread;

    private TWork _work;

    /// <summary>The calling thread's job for this body type (loops on one thread never overlap: nested ones run inline).</summary>
    public static ParallelJob<TWork> ForCurrentThread() => _forThread ??= new ParallelJob<TWork>();

    public void Start(int items, int helpers, in TWork work)
    {
        _work = work;
        Reset(items, helpers);
    }

    protected override void RunItem(int item) => _work.Run(item);
}
