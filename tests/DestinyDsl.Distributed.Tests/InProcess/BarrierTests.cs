using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Distributed.InProcess;

namespace DestinyDsl.Distributed.Tests.InProcess;

public class BarrierTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(5)] // more threads than this machine's cores: exercises the blocking path
    public void No_thread_passes_a_round_before_every_thread_has_arrived(int participants)
    {
        const int rounds = 3000;
        var barrier = new SpinThenBlockBarrier(participants);
        int arrived = 0;
        var violations = 0;
        var threads = Enumerable.Range(0, participants).Select(_ => new Thread(() =>
        {
            for (int round = 1; round <= rounds; round++)
            {
                Interlocked.Increment(ref arrived);
                barrier.SignalAndWait();
                if (Volatile.Read(ref arrived) != round * participants) Interlocked.Increment(ref violations);
                barrier.SignalAndWaitToCompletion(); // keeps the next round's increments out of this round's check
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(60)), "barrier deadlocked");
        Assert.Equal(0, violations);
        Assert.Equal(rounds * participants, arrived);
    }

    [Fact]
    public void Abort_releases_waiters_of_an_abortable_barrier_but_not_a_completing_one()
    {
        var barrier = new SpinThenBlockBarrier(3);
        Exception? seen = null;
        var waiter = new Thread(() =>
        {
            try { barrier.SignalAndWait(); }
            catch (Exception e) { seen = e; }
        });
        waiter.Start();
        Assert.True(Blocking.WaitUntilBlocked(waiter), "the waiter never blocked");
        barrier.Abort(new InvalidOperationException("why"));
        Assert.True(waiter.Join(Blocking.HangGuard));
        Assert.Equal("why", Assert.IsType<CommunicatorAbortedException>(seen).InnerException!.Message);

        // A barrier after the rendezvous completes even in an aborted group, once everyone arrives.
        var completing = new SpinThenBlockBarrier(2);
        completing.Abort(new InvalidOperationException("late abort"));
        var other = new Thread(completing.SignalAndWaitToCompletion);
        other.Start();
        completing.SignalAndWaitToCompletion();
        Assert.True(other.Join(TimeSpan.FromSeconds(5)));
        Assert.Throws<CommunicatorAbortedException>(completing.SignalAndWait);
    }
}
