using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests;

public class DeviceGroupTests
{
    [Fact]
    public void Cpu_groups_describe_themselves_and_hold_every_shard_locally()
    {
        var one = DeviceGroup.Cpu();
        Assert.Equal(("cpu", 1, true, false), (one.Description, one.ShardCount, one.IsPrimary, one.UsesMpi));
        var four = DeviceGroup.Cpu(4);
        Assert.Equal(("cpu×4", 4, true, true), (four.Description, four.ShardCount, four.IsPrimary, four.IsGroupPrimary));
        Assert.Equal(new[] { 0, 1, 2, 3 }, four.LocalShards);
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceGroup.Cpu(0));
    }

    [Fact]
    public void A_group_of_one_uses_the_single_communicator()
        => Assert.IsType<SingleCommunicator>(Assert.Single(DeviceGroup.Cpu(1).CreateShardCommunicators()));

    [Fact]
    public void Shard_communicators_have_ranks_0_to_P_minus_1()
    {
        var comms = DeviceGroup.Cpu(3).CreateShardCommunicators();
        Assert.Equal(new[] { 0, 1, 2 }, comms.Select(c => c.Rank).ToArray());
        Assert.All(comms, c => Assert.Equal(3, c.Size));
    }

    [Fact]
    public void Two_models_on_one_device_group_get_private_communicators_that_never_mix()
    {
        var devices = DeviceGroup.Cpu(3);
        var first = devices.CreateShardCommunicators();
        var second = devices.CreateShardCommunicators();
        var pairs = Enumerable.Range(0, 3).Select(r => (first[r], second[r])).ToArray();
        // Each shard drives both models from two threads at once (as two engines would).
        var lines = Shards.Run(first, comm => TwoModelsScenario.Run(pairs[comm.Rank].Item1, pairs[comm.Rank].Item2));
        Assert.All(lines, l => Assert.Equal(new[] { "model 0 steps=40 length=1000 allreduce-bytes=213320", "model 1 steps=40 length=37 allreduce-bytes=7880" }, l));
    }

    [Fact]
    public void Splitting_a_cpu_group_gives_the_same_cpu_group_because_all_its_shards_share_one_process()
    {
        var part = DeviceGroup.Cpu(3).Split(color: 2, key: 0);
        Assert.Equal(("cpu×3", 3), (part.Description, part.ShardCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceGroup.Cpu(3).Split(-1, 0));
    }
}
