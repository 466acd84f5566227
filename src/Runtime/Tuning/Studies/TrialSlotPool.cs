namespace DestinyDsl.Runtime.Tuning.Studies;

/// <summary>
/// The places trials run in — a study's local device groups, or the worker groups of an MPI job shared by the
/// studies of several regions — handed out first come, first served. A study takes a slot before it asks the
/// optimiser for a setting, and gives it back after the finished trial has been told to the optimiser, so the next
/// suggestion made for that slot already knows the result it just produced.
/// </summary>
internal sealed class TrialSlotPool
{
    private readonly object _gate = new();
    private readonly Queue<object> _free;
    private readonly LinkedList<Waiter> _waiters = new();

    public TrialSlotPool(IEnumerable<object> slots)
    {
        _free = new Queue<object>(slots);
        Capacity = _free.Count;
        if (Capacity == 0) throw new ArgumentException("A trial slot pool needs at least one slot.", nameof(slots));
    }

    /// <summary>The number of slots: the most trials that run at once.</summary>
    public int Capacity { get; }

    /// <summary>A free slot, now or when one is released (waiters are served in order). Cancelling withdraws the request.</summary>
    public Task<object> AcquireAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_free.Count > 0) return Task.FromResult(_free.Dequeue());
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<object>(cancellationToken);
            var waiter = new Waiter();
            var node = _waiters.AddLast(waiter);
            waiter.Registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (node.List is null) return; // already granted
                    _waiters.Remove(node);
                    waiter.Completion.TrySetCanceled(cancellationToken);
                }
            });
            return waiter.Completion.Task;
        }
    }

    /// <summary>Gives a slot back: to the longest waiter, else to the free list.</summary>
    public void Release(object slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        lock (_gate)
        {
            if (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                first.Value.Registration.Unregister(); // not Dispose: it would wait for a callback blocked on this lock
                first.Value.Completion.TrySetResult(slot);
                return;
            }
            _free.Enqueue(slot);
        }
    }

    private sealed class Waiter
    {
        // Continuations run asynchronously: Release must not run a study's loop inside the pool's lock.
        public TaskCompletionSource<object> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}
