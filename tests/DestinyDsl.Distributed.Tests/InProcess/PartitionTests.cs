using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests.InProcess;

/// <summary><see cref="DeviceGroup.Partition"/>: an in-process group divided into groups of consecutive shards, one per concurrent trial.</summary>
public class PartitionTests
{
    [Fact]
    public void Shards_are_divided_into_consecutive_groups_the_first_ones_one_larger()
    {
        var parts = DeviceGroup.Cpu(5).Partition(2);
        Assert.Equal([3, 2], parts.Select(p => p.ShardCount));
        Assert.Equal(["cpu×5 shards 0–2", "cpu×5 shards 3–4"], parts.Select(p => p.Description));
        Assert.All(parts, p => Assert.False(p.UsesMpi));
        Assert.Equal(["cpu×4 shard 0", "cpu×4 shard 1", "cpu×4 shard 2", "cpu×4 shard 3"], DeviceGroup.Cpu(4).Partition(4).Select(p => p.Description));
        Assert.Equal(4, DeviceGroup.Cpu(4).Partition(1).Single().ShardCount);
    }

    [Fact]
    public void Partition_counts_outside_one_to_the_shard_count_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceGroup.Cpu(3).Partition(0));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceGroup.Cpu(3).Partition(4));
        Assert.Contains("1..3", error.Message);
    }

    [Fact]
    public async Task Each_part_makes_its_own_communicators_and_trains_like_a_group_of_its_size()
    {
        var parts = DeviceGroup.Cpu(4).Partition(2);
        var first = parts[0].CreateShardCommunicators();
        var second = parts[1].CreateShardCommunicators();
        Assert.Equal([0, 1], first.Select(c => c.Rank));
        Assert.Equal([0, 1], second.Select(c => c.Rank));
        Assert.All(first.Concat(second), c => Assert.Equal(2, c.Size));
        foreach (var c in first.Concat(second)) c.Dispose();

        // The two parts train two models at the same time, each exactly as a 2-shard group would.
        var reference = TrainingScenario.Run("SparseAdam", DeviceGroup.Cpu(2));
        var both = parts.Select(part => Task.Run(() => TrainingScenario.Run("SparseAdam", part))).ToArray();
        var runs = await Task.WhenAll(both).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(runs, run => Assert.Equal(reference, run));
    }
}
