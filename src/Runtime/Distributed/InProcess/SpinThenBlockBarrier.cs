namespace DestinyDsl.Runtime.Distributed.InProcess;

/// <summary>
/// A reusable barrier for the P shard threads of one group: spin briefly (collectives are usually reached within
/// microseconds of each other), then block on a monitor so an oversubscribed machine is not burnt by spinners.
/// </summary>
/// <remarks>
/// <para>The whole state — arrivals, generation, aborted flag — is one 64-bit word changed only by compare-exchange,
/// so "the last shard arrives" and "the group is aborted" are ordered: once the aborted bit is set no abortable
/// barrier can complete, and a waiter that sees the bit with its generation unchanged knows it never will, so it can
/// throw without any shard having started to read its buffers.</para>
/// <para>Collectives use an abortable barrier for the rendezvous (before anyone touches a peer's memory) and
/// non-abortable ones after it: by then every shard is inside the collective doing finite work, so those barriers
/// always complete, and no shard leaves (unpinning its buffers) while a peer still reads or writes them.</para>
/// </remarks>
internal sealed class SpinThenBlockBarrier
{
    private const long AbortedBit = 1L << 62;
    private const long ArrivedMask = 0xFFFF_FFFFL;
    private const int GenerationShift = 32;
    private const long GenerationMask = 0x3FFF_FFFFL; // 30 bits; only equality is ever compared

    private readonly int _participants;
    private readonly int _spinChecks;
    private readonly int _yieldChecks;
    private readonly object _gate = new();
    private long _state;
    private int _sleepers;
    private Exception? _abortReason;

    public SpinThenBlockBarrier(int participants)
    {
        _participants = participants;
        // Spin on the state word with a short fixed pause (~1-2 µs in all), so a release between shards that arrive
        // together is seen within nanoseconds; then yield the core for a while (a descheduled peer gets to run —
        // on a loaded machine a long tight spin was measured to turn 1 µs barriers into 250 µs ones); then block.
        // With more shards than cores a spinner steals the time slice of the shard it waits for: barely spin.
        bool ownCores = participants <= Environment.ProcessorCount;
        _spinChecks = ownCores ? 32 : 8;
        _yieldChecks = ownCores ? 100 : 200;
    }

    public bool IsAborted => (Volatile.Read(ref _state) & AbortedBit) != 0;

    public Exception? AbortReason => Volatile.Read(ref _abortReason);

    /// <summary>Arrives and waits for all participants; throws <see cref="CommunicatorAbortedException"/> if the group is (or gets) aborted first.</summary>
    public void SignalAndWait() => SignalAndWait(abortable: true);

    /// <summary>Arrives and waits for all participants even if the group was aborted (see remarks).</summary>
    public void SignalAndWaitToCompletion() => SignalAndWait(abortable: false);

    /// <summary>Marks the group aborted and wakes every blocked participant. The first reason is kept.</summary>
    public void Abort(Exception reason)
    {
        Interlocked.CompareExchange(ref _abortReason, reason, null);
        long observed = Volatile.Read(ref _state);
        while ((observed & AbortedBit) == 0)
        {
            long witnessed = Interlocked.CompareExchange(ref _state, observed | AbortedBit, observed);
            if (witnessed == observed) break;
            observed = witnessed;
        }
        lock (_gate) Monitor.PulseAll(_gate);
    }

    public void ThrowIfAborted()
    {
        if (IsAborted) throw Aborted();
    }

    private void SignalAndWait(bool abortable)
    {
        long observed = Volatile.Read(ref _state);
        while (true)
        {
            if (abortable && (observed & AbortedBit) != 0) throw Aborted();
            bool last = (observed & ArrivedMask) + 1 == _participants;
            long next = last ? NextGeneration(observed) : observed + 1;
            long witnessed = Interlocked.CompareExchange(ref _state, next, observed);
            if (witnessed == observed)
            {
                if (last)
                {
                    WakeSleepers();
                    return;
                }
                break;
            }
            observed = witnessed;
        }
        WaitWhileGeneration(Generation(observed), abortable);
    }

    private void WaitWhileGeneration(long generation, bool abortable)
    {
        // SpinWait.SpinOnce backs off exponentially, which delays noticing the release by microseconds; check at a
        // fixed short interval instead, then yield, then block.
        for (int i = 0; i < _spinChecks + _yieldChecks; i++)
        {
            long state = Volatile.Read(ref _state);
            if (Generation(state) != generation) return;
            if (abortable && (state & AbortedBit) != 0) throw Aborted();
            if (i < _spinChecks) Thread.SpinWait(1);
            else Thread.Yield();
        }

        lock (_gate)
        {
            // Announce the sleeper before re-reading the state (both interlocked/fenced): the last arriver changes the
            // state before reading _sleepers, so either it sees us and pulses, or we see the new generation.
            Interlocked.Increment(ref _sleepers);
            try
            {
                while (true)
                {
                    long state = Volatile.Read(ref _state);
                    if (Generation(state) != generation) return;
                    if (abortable && (state & AbortedBit) != 0) throw Aborted();
                    Monitor.Wait(_gate);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _sleepers);
            }
        }
    }

    private void WakeSleepers()
    {
        if (Volatile.Read(ref _sleepers) == 0) return;
        lock (_gate) Monitor.PulseAll(_gate);
    }

    private CommunicatorAbortedException Aborted()
        => new(Volatile.Read(ref _abortReason) ?? new InvalidOperationException("The group was aborted without a reason."));

    private static long Generation(long state) => (state >> GenerationShift) & GenerationMask;

    private static long NextGeneration(long state)
        => (state & AbortedBit) | (((Generation(state) + 1) & GenerationMask) << GenerationShift);
}
