using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests.InProcess;

public class CollectiveTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_collective_matches_the_directly_computed_result_for_uneven_counts(int shards)
    {
        // The scenario checks every element (all-gather, reduce-scatter, float/double Sum/Max all-reduce, broadcast from
        // every root, zero-length blocks) and the byte counters; it throws on the first difference.
        var comms = DeviceGroup.Cpu(shards).CreateShardCommunicators();
        var lines = Shards.Run(comms, CollectiveScenario.Run);

        // Everything but reduce-scatter and the rooted gather and scatter (each shard's own block, or the root's
        // result only) must be identical on every shard.
        string[] perShard = ["reducescatter", "rooted"];
        for (int rank = 1; rank < shards; rank++)
        {
            Assert.Equal(lines[0].Count, lines[rank].Count);
            for (int i = 0; i < lines[0].Count; i++)
                if (!perShard.Any(prefix => lines[0][i].StartsWith(prefix, StringComparison.Ordinal)))
                    Assert.Equal(lines[0][i], lines[rank][i]);
        }
        Shards.DisposeAll(comms);
    }

    [Fact]
    public void A_root_mismatch_in_a_rooted_gather_fails_every_shard_instead_of_hanging()
    {
        var comms = DeviceGroup.Cpu(3).CreateShardCommunicators();
        int[] counts = [1, 1, 1];
        // Shard 2 names another root: all three must throw the same mismatch, not wait for each other.
        var failures = Shards.RunCapturing(comms, comm => comm.Gather(new float[1], new float[3], counts, root: comm.Rank == 2 ? 1 : 0));
        foreach (var failure in failures)
            Assert.Contains("shard 0 called Gather(counts [1, 1, 1], root 0) but shard 2 called Gather(counts [1, 1, 1], root 1)", Assert.IsType<InvalidOperationException>(failure).Message);
        Shards.DisposeAll(comms);
    }

    [Fact]
    public void Reduce_scatter_gives_each_shard_the_sum_of_its_block_including_empty_blocks()
    {
        var comms = DeviceGroup.Cpu(3).CreateShardCommunicators();
        int[] counts = [2, 0, 3];
        var results = Shards.Run(comms, comm =>
        {
            var input = Enumerable.Range(0, 5).Select(j => (float)((comm.Rank + 1) * 10 + j)).ToArray();
            var local = new float[counts[comm.Rank]];
            comm.ReduceScatter(input, local, counts);
            return local;
        });
        // Σ over ranks of (r+1)·10 + j = 60 + 3j.
        Assert.Equal(new float[] { 60, 63 }, results[0]);
        Assert.Empty(results[1]);
        Assert.Equal(new float[] { 66, 69, 72 }, results[2]);
    }

    [Fact]
    public void All_gather_writes_only_the_gathered_prefix_of_a_longer_result()
    {
        var comms = DeviceGroup.Cpu(2).CreateShardCommunicators();
        var results = Shards.Run(comms, comm =>
        {
            var result = Enumerable.Repeat(-1f, 6).ToArray();
            comm.AllGather(new[] { comm.Rank + 1f, comm.Rank + 1f, 99f }, result, [2, 1]);
            return result;
        });
        Assert.Equal(new float[] { 1, 1, 2, -1, -1, -1 }, results[0]);
        Assert.Equal(results[0], results[1]);
    }

    [Fact]
    public void Max_all_reduce_takes_the_largest_value_of_any_shard()
    {
        var comms = DeviceGroup.Cpu(4).CreateShardCommunicators();
        var results = Shards.Run(comms, comm =>
        {
            var buffer = new double[] { comm.Rank, -comm.Rank, comm.Rank == 2 ? 1e300 : 0 };
            comm.AllReduce(buffer, ReductionOperation.Max);
            return buffer;
        });
        Assert.All(results, r => Assert.Equal(new[] { 3.0, 0.0, 1e300 }, r));
    }

    [Fact]
    public void A_large_all_reduce_uses_the_chunked_path_and_still_reaches_every_shard()
    {
        const int length = 100_003; // above the whole-buffer limit, not divisible by 3
        var comms = DeviceGroup.Cpu(3).CreateShardCommunicators();
        var results = Shards.Run(comms, comm =>
        {
            var buffer = Enumerable.Range(0, length).Select(i => (float)(i % 100 + comm.Rank)).ToArray();
            comm.AllReduce(buffer, ReductionOperation.Sum);
            return buffer;
        });
        for (int i = 0; i < length; i += 997) Assert.Equal(3f * (i % 100) + 3, results[0][i]);
        Assert.Equal(results[0], results[1]);
        Assert.Equal(results[0], results[2]);
    }
}
