using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests.InProcess;

public class SplitTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Split_groups_run_every_collective_independently(int shards)
    {
        // Parity groups with reversed keys; the scenario checks ranks, sizes and every collective inside each part.
        var comms = DeviceGroup.Cpu(shards).CreateShardCommunicators();
        var lines = Shards.Run(comms, SplitScenario.Run);
        for (int rank = 0; rank < shards; rank++)
            Assert.Equal($"split color={rank % 2} rank={Enumerable.Range(0, shards).Count(r => r % 2 == rank % 2 && r > rank)} size={Enumerable.Range(0, shards).Count(r => r % 2 == rank % 2)}", lines[rank][0]);
    }

    [Fact]
    public void New_ranks_follow_the_keys_with_ties_broken_by_old_rank()
    {
        var comms = DeviceGroup.Cpu(5).CreateShardCommunicators();
        int[] keys = [7, 1, 7, 0, 1];
        var parts = Shards.Run(comms, comm => comm.Split(color: 0, keys[comm.Rank]));
        // Order by (key, rank): 3(0), 1(1), 4(1), 0(7), 2(7).
        Assert.Equal(new[] { 3, 1, 4, 0, 2 }, parts.Select(p => p.Rank).ToArray());
        Assert.All(parts, p => Assert.Equal(5, p.Size));
    }

    [Fact]
    public void Each_color_gets_its_own_group_and_the_parts_do_not_share_counters()
    {
        var comms = DeviceGroup.Cpu(4).CreateShardCommunicators();
        var parts = Shards.Run(comms, comm => comm.Split(color: comm.Rank == 0 ? 5 : 9, key: 0));
        Assert.Equal(1, parts[0].Size);
        Assert.Equal(new[] { 0, 1, 2 }, parts.Skip(1).Select(p => p.Rank).ToArray());
        var sums = Shards.Run(parts.Skip(1).ToList(), part =>
        {
            var value = new float[] { part.Rank + 1 };
            part.AllReduce(value, ReductionOperation.Sum);
            return value[0];
        });
        Assert.All(sums, s => Assert.Equal(6f, s));
        Assert.Equal(0, comms[1].Counters.AllReduceBytes);
        Assert.Equal(RingTraffic.AllReduce(3, 4), parts[1].Counters.AllReduceBytes);
    }

    [Fact]
    public void A_negative_color_is_rejected_and_aborts_the_peers()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var failures = Shards.RunCapturing(comms, comm => comm.Split(comm.Rank == 0 ? -1 : 0, 0));
        Assert.Contains("Split color must be zero or positive", Assert.IsType<ArgumentOutOfRangeException>(failures[0]).Message);
        Assert.IsType<CommunicatorAbortedException>(failures[1]);
    }
}
