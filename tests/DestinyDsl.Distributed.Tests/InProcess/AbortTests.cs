using System.Diagnostics;
using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests.InProcess;

/// <summary>
/// The abort protocol: a shard that fails calls <see cref="ICommunicator.Abort"/> (the engine does it in its catch,
/// as <see cref="Shards"/> does); peers blocked in a collective then throw promptly instead of hanging.
/// </summary>
public class AbortTests
{
    public static TheoryData<string> BlockingCollectives => new() { "Barrier", "AllGather", "ReduceScatter", "AllReduce", "Broadcast", "Split" };

    [Theory]
    [MemberData(nameof(BlockingCollectives))]
    public void When_one_shard_throws_the_others_blocked_collective_throws_within_a_second(string collective)
    {
        const int shards = 4, failing = 2;
        var comms = DeviceGroup.Cpu(shards).CreateShardCommunicators();
        var clock = Stopwatch.StartNew();
        var failedAt = TimeSpan.Zero;
        var releasedAt = new TimeSpan[shards];
        var failures = Shards.RunCapturing(comms, comm =>
        {
            if (comm.Rank == failing)
            {
                Thread.Sleep(400); // long enough for the peers to stop spinning and block
                failedAt = clock.Elapsed;
                throw new InvalidOperationException("shard 2 failed while computing");
            }
            try
            {
                Enter(comm, collective);
            }
            finally
            {
                releasedAt[comm.Rank] = clock.Elapsed;
            }
        });

        var cause = Assert.IsType<InvalidOperationException>(failures[failing]);
        for (int rank = 0; rank < shards; rank++)
        {
            if (rank == failing) continue;
            var aborted = Assert.IsType<CommunicatorAbortedException>(failures[rank]);
            Assert.Same(cause, aborted.InnerException);
            Assert.Contains("shard 2 failed while computing", aborted.Message);
            // Released by the abort, not by a time-out: the bound is only a hang guard for a loaded machine.
            Assert.True(releasedAt[rank] - failedAt < Blocking.HangGuard, $"shard {rank} was released {(releasedAt[rank] - failedAt).TotalMilliseconds:F0} ms after the failure");
        }
    }

    [Fact]
    public void An_aborted_group_rejects_every_later_collective_immediately()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var reason = new TimeoutException("gave up");
        comms[1].Abort(reason);
        var error = Assert.Throws<CommunicatorAbortedException>(() => comms[0].AllReduce(new float[3], ReductionOperation.Sum));
        Assert.Same(reason, error.InnerException);
        Assert.Throws<CommunicatorAbortedException>(() => comms[1].Barrier());
    }

    [Fact]
    public void Aborting_a_group_also_aborts_the_groups_split_from_it()
    {
        var comms = DeviceGroup.Cpu(4).CreateShardCommunicators();
        var parts = Shards.Run(comms, comm => comm.Split(comm.Rank / 2, comm.Rank));
        var waiting = new Thread(() =>
        {
            try { parts[0].Barrier(); } // its partner (shard 1) never arrives
            catch (CommunicatorAbortedException) { }
        });
        waiting.Start();
        Assert.True(Blocking.WaitUntilBlocked(waiting), "the split group's barrier never blocked");
        comms[3].Abort(new InvalidOperationException("shard 3 failed"));
        Assert.True(waiting.Join(Blocking.HangGuard), "the split group's barrier was not released by the parent's abort");
        Assert.Throws<CommunicatorAbortedException>(() => parts[2].Barrier());
    }

    [Fact]
    public void A_shard_that_disposes_its_communicator_leaves_and_releases_a_waiting_peer()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        Exception? seen = null;
        var waiting = new Thread(() =>
        {
            try { comms[0].Barrier(); }
            catch (Exception e) { seen = e; }
        });
        waiting.Start();
        Assert.True(Blocking.WaitUntilBlocked(waiting), "shard 0 never blocked in its barrier");
        comms[1].Dispose();
        Assert.True(waiting.Join(Blocking.HangGuard));
        var aborted = Assert.IsType<CommunicatorAbortedException>(seen);
        Assert.IsType<ObjectDisposedException>(aborted.InnerException);
        Assert.Throws<ObjectDisposedException>(() => comms[1].Barrier());
    }

    [Fact]
    public void Collectives_keep_working_through_many_rounds_before_an_abort()
    {
        // Abort during a burst of collectives: every shard ends with either success or an abort, never a hang or
        // a wrong value (values are checked while the group is alive).
        var comms = DeviceGroup.Cpu(3).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm =>
        {
            var buffer = new float[64];
            for (int step = 0; step < 5000; step++)
            {
                Array.Fill(buffer, comm.Rank + step);
                comm.AllReduce(buffer, ReductionOperation.Sum);
                Assert.Equal(3f * step + 3, buffer[63]);
                if (comm.Rank == 1 && step == 2500) throw new InvalidOperationException("stop at step 2500");
            }
        });
        Assert.IsType<InvalidOperationException>(failures[1]);
        Assert.IsType<CommunicatorAbortedException>(failures[0]);
        Assert.IsType<CommunicatorAbortedException>(failures[2]);
    }

    private static void Enter(ICommunicator comm, string collective)
    {
        int[] counts = [1, 1, 1, 1];
        switch (collective)
        {
            case "Barrier": comm.Barrier(); break;
            case "AllGather": comm.AllGather(new float[1], new float[4], counts); break;
            case "ReduceScatter": comm.ReduceScatter(new float[4], new float[1], counts); break;
            case "AllReduce": comm.AllReduce(new double[8], ReductionOperation.Sum); break;
            case "Broadcast": comm.Broadcast(new byte[8], root: 0); break;
            case "Split": comm.Split(0, 0).Dispose(); break;
            default: throw new ArgumentOutOfRangeException(nameof(collective), collective, null);
        }
    }
}
