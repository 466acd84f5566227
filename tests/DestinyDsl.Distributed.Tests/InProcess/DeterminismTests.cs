using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests.InProcess;

/// <summary>
/// In-process reductions sum in rank order, so every shard gets the same bits, every run gets the same bits, and
/// they equal the sequential ((x0 + x1) + x2) + x3 — for values whose sum does depend on the order.
/// </summary>
public class DeterminismTests
{
    [Theory]
    [InlineData(1000)]    // every shard reduces the whole buffer
    [InlineData(100_001)] // each shard reduces a chunk and pushes it to the others
    public void Float_sums_are_bit_identical_across_shards_and_runs_and_follow_rank_order(int length)
    {
        const int shards = 4;
        var inputs = RandomInputs(shards, length, seed: 11);
        var sequential = new float[length];
        for (int i = 0; i < length; i++)
        {
            float sum = inputs[0][i];
            for (int r = 1; r < shards; r++) sum += inputs[r][i];
            sequential[i] = sum;
        }

        for (int run = 0; run < 6; run++)
        {
            var jitter = new Random(run);
            var delays = Enumerable.Range(0, shards).Select(_ => jitter.Next(0, 15)).ToArray();
            var comms = DeviceGroup.Cpu(shards).CreateShardCommunicators();
            var results = Shards.Run(comms, comm =>
            {
                Thread.Sleep(delays[comm.Rank]); // different arrival orders in different runs
                var buffer = (float[])inputs[comm.Rank].Clone();
                comm.AllReduce(buffer, ReductionOperation.Sum);
                return buffer;
            });
            foreach (var result in results) Assert.True(BitEqual(sequential, result), $"run {run}: a shard's sum differs from the rank-order sum");
            Shards.DisposeAll(comms);
        }
    }

    [Fact]
    public void Reduce_scatter_follows_rank_order_bit_for_bit()
    {
        const int shards = 3, length = 9001;
        var inputs = RandomInputs(shards, length, seed: 5);
        int[] counts = [3000, 3001, 3000];
        var comms = DeviceGroup.Cpu(shards).CreateShardCommunicators();
        var results = Shards.Run(comms, comm =>
        {
            var local = new float[counts[comm.Rank]];
            comm.ReduceScatter(inputs[comm.Rank], local, counts);
            return local;
        });
        int offset = 0;
        for (int rank = 0; rank < shards; rank++)
        {
            var expected = new float[counts[rank]];
            for (int i = 0; i < counts[rank]; i++) expected[i] = (inputs[0][offset + i] + inputs[1][offset + i]) + inputs[2][offset + i];
            Assert.True(BitEqual(expected, results[rank]), $"shard {rank}");
            offset += counts[rank];
        }
    }

    [Fact]
    public void Double_sums_of_order_sensitive_values_agree_on_every_shard()
    {
        const int shards = 3;
        var comms = DeviceGroup.Cpu(shards).CreateShardCommunicators();
        // 1e16 + 1 - 1e16 depends on the order: rank order gives (1e16 + 1) + (-1e16) = 0.
        double[] values = [1e16, 1, -1e16];
        var results = Shards.Run(comms, comm =>
        {
            var buffer = new[] { values[comm.Rank] };
            comm.AllReduce(buffer, ReductionOperation.Sum);
            return buffer[0];
        });
        Assert.All(results, r => Assert.Equal((values[0] + values[1]) + values[2], r));
    }

    private static float[][] RandomInputs(int shards, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, shards)
            .Select(_ => Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)))).ToArray())
            .ToArray();
    }

    private static bool BitEqual(float[] a, float[] b)
        => a.Length == b.Length && a.Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.Select(BitConverter.SingleToInt32Bits));
}
