using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests.InProcess;

/// <summary>Misuse must fail on every shard with a message that says what and where — never hang the peers.</summary>
public class ArgumentTests
{
    [Fact]
    public void Counts_of_the_wrong_length_fail_that_shard_and_abort_its_peers()
    {
        var comms = DeviceGroup.Cpu(3).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm =>
        {
            int[] counts = comm.Rank == 1 ? [1, 1] : [1, 1, 1];
            comm.AllGather(new float[1], new float[3], counts);
        });
        var error = Assert.IsType<ArgumentException>(failures[1]);
        Assert.Contains("counts has 2 entries but the group has 3 ranks", error.Message);
        Assert.Same(error, Assert.IsType<CommunicatorAbortedException>(failures[0]).InnerException);
        Assert.Same(error, Assert.IsType<CommunicatorAbortedException>(failures[2]).InnerException);
    }

    [Fact]
    public void Shards_that_disagree_on_counts_all_get_the_same_mismatch_error()
    {
        var comms = DeviceGroup.Cpu(3).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm =>
        {
            int[] counts = comm.Rank == 2 ? [2, 1, 0] : [1, 1, 1];
            comm.ReduceScatter(new float[3], new float[2], counts);
        });
        Assert.All(failures, f => Assert.Contains("shard 0 called ReduceScatter(counts [1, 1, 1]) but shard 2 called ReduceScatter(counts [2, 1, 0])",
            Assert.IsType<InvalidOperationException>(f).Message));
    }

    [Fact]
    public void Shards_in_different_collectives_all_get_a_mismatch_error_naming_both()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm =>
        {
            if (comm.Rank == 0) comm.AllGather(new float[1], new float[2], [1, 1]);
            else comm.AllReduce(new float[7], ReductionOperation.Max);
        });
        Assert.All(failures, f => Assert.Contains("shard 0 called AllGather(counts [1, 1]) but shard 1 called AllReduce<float>(length 7, Max)",
            Assert.IsType<InvalidOperationException>(f).Message));
    }

    [Fact]
    public void Broadcasts_of_different_lengths_are_a_mismatch()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm => comm.Broadcast(new byte[comm.Rank == 0 ? 8 : 9], root: 0));
        Assert.All(failures, f => Assert.Contains("Broadcast(8 bytes, root 0) but shard 1 called Broadcast(9 bytes, root 0)",
            Assert.IsType<InvalidOperationException>(f).Message));
    }

    [Fact]
    public void A_local_block_aliasing_the_wrong_part_of_the_result_is_rejected()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm =>
        {
            var result = new float[4];
            // Elements 0..1 are shard 0's own block (a valid in-place gather) but not shard 1's, which starts at element 2.
            comm.AllGather(result.AsSpan(0, 2), result, [2, 2]);
        });
        Assert.Contains("local overlaps result at element 0; it may only alias its own block (element 2)", Assert.IsType<ArgumentException>(failures[1]).Message);
        Assert.IsType<CommunicatorAbortedException>(failures[0]);
    }

    [Fact]
    public void Reduce_scatter_into_its_own_input_is_rejected()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm =>
        {
            var buffer = new float[4];
            comm.ReduceScatter(buffer, buffer.AsSpan(comm.Rank * 2, 2), [2, 2]);
        });
        Assert.Contains(failures, f => f is ArgumentException a && a.Message.Contains("localResult overlaps input"));
    }

    [Fact]
    public void Too_short_buffers_name_the_argument_and_the_sizes()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm => comm.AllGather(new float[3], new float[4], [3, 3]));
        Assert.Contains(failures, f => f is ArgumentException a && a.ParamName == "result" && a.Message.Contains("result has 4 elements but the counts sum to 6"));
    }

    [Fact]
    public void A_root_outside_the_group_is_rejected()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm => comm.Broadcast(new byte[4], root: 2));
        Assert.All(failures, f => Assert.True(f is ArgumentOutOfRangeException or CommunicatorAbortedException, f?.ToString()));
        Assert.Contains(failures, f => f is ArgumentOutOfRangeException);
    }

    [Fact]
    public void Negative_counts_are_rejected()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm => comm.AllGather(new float[1], new float[1], [1, -1]));
        Assert.Contains(failures, f => f is ArgumentException a && a.Message.Contains("counts[1] = -1 is negative"));
    }

    [Fact]
    public void Using_one_shards_communicator_from_two_threads_at_once_is_rejected()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var entered = new ManualResetEventSlim();
        var blocked = new Thread(() =>
        {
            entered.Set();
            try { comms[0].Barrier(); } catch (CommunicatorAbortedException) { }
        });
        blocked.Start();
        entered.Wait();
        // Shard 0 marks itself inside the collective before it spins, then blocks: once its thread is blocked it is
        // certainly inside (a fixed sleep could end before it got there, and the next call would then hang).
        Assert.True(Blocking.WaitUntilBlocked(blocked), "shard 0 never blocked in its barrier");
        var error = Assert.Throws<InvalidOperationException>(() => comms[0].AllReduce(new float[1], ReductionOperation.Sum));
        Assert.Contains("already inside a collective on another thread", error.Message);
        comms[1].Barrier(); // releases shard 0's barrier
        Assert.True(blocked.Join(TimeSpan.FromSeconds(10)));
    }
}
