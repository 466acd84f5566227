namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>
/// Waits for a message that is polled for (<c>MPI_Iprobe</c>): a few quick re-checks for a reply that is about to
/// arrive (a pruning decision), then 1 ms pauses. Why not a blocking <c>MPI_Recv</c>: both Open MPI and MPICH wait in
/// it by busy-polling, and a coordinator or an idle group leader that spins takes a core from the ranks that train
/// (the study's job usually has as many ranks as cores). The pauses cost at most a millisecond per message, nothing
/// next to a trial.
/// </summary>
internal struct PollingWait
{
    private const int QuickChecks = 64;
    private int _checks;

    /// <summary>Call after a poll found nothing; call <see cref="Reset"/> after one found something.</summary>
    public void Idle(WaitHandle? wake = null)
    {
        if (_checks++ < QuickChecks)
        {
            Thread.Yield();
            return;
        }
        if (wake is null)
            Thread.Sleep(1);
        else
            wake.WaitOne(1);
    }

    public void Reset() => _checks = 0;
}
