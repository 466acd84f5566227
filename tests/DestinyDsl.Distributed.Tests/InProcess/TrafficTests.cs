using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Distributed.Worker.Networks;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Distributed.Tests.InProcess;

/// <summary>Byte counters against the analytic formulas of docs/distributed.md, for real training steps and single collectives.</summary>
public class TrafficTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_sparse_autoencoder_step_moves_4_times_P_minus_1_over_P_times_B_H_floats(int shards)
    {
        // A real training step of the generated SparseMomentum (items(N, sparse) → h1(13) → scores(N), batch 16) on P
        // in-process shards: forward reduce-scatter (items → h1) and all-gather (h1 for h1 → scores), backward
        // reduce-scatter (δh1 from scores) and all-gather (δh1 for the items → h1 gradient), each of B×H floats, plus the
        // loss all-reduce of two doubles; for N = 40 and N = 400, since the traffic must not grow with the width.
        const int batch = 16, hidden = 13, steps = 3;
        // docs/distributed.md, rounded down per collective: (P−1)/P·M for a gather or reduce-scatter, 2(P−1)/P·M for an all-reduce.
        static long Ring(int p, long bytes) => (p - 1) * bytes / p;
        static long AllReduce(int p, long bytes) => 2 * (p - 1) * bytes / p;
        foreach (var items in new[] { 40, 400 })
        {
            using var model = new SparseMomentum(itemsWidth: items, devices: DeviceGroup.Cpu(shards));
            var moved = new List<CommunicationTraffic>();
            model.Train(RandomItems(batch * steps, items), new TrainingOptions { Epochs = 1 }, new Synchronous(p => moved.Add(p.Traffic)));

            Assert.Equal(steps, moved.Count);
            long bh = batch * hidden * sizeof(float);
            var expected = new CommunicationTraffic(AllGather: 2 * Ring(shards, bh), ReduceScatter: 2 * Ring(shards, bh), AllReduce: AllReduce(shards, 2 * sizeof(double)), Broadcast: 0);
            Assert.All(moved, t => Assert.Equal(expected, t));
        }
    }

    private static SparseMatrix RandomItems(int rows, int columns)
    {
        var random = new Random(rows + columns);
        var offsets = new long[rows + 1];
        var indices = new List<int>();
        for (var r = 0; r < rows; r++)
        {
            indices.AddRange(Enumerable.Range(0, columns).Where(_ => random.NextDouble() < 0.2));
            offsets[r + 1] = indices.Count;
        }
        return new SparseMatrix(rows, columns, offsets, indices.ToArray(), null);
    }

    /// <summary>Reports on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Synchronous(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    [Fact]
    public void All_reduce_counts_twice_the_ring_share_and_broadcast_once()
    {
        var comms = DeviceGroup.Cpu(4).CreateShardCommunicators();
        Shards.Run(comms, comm =>
        {
            comm.AllReduce(new double[1000], ReductionOperation.Max);
            comm.AllReduce(new float[10], ReductionOperation.Sum);
            comm.Broadcast(new byte[4001], root: 3);
            comm.Barrier();
            return 0;
        });
        foreach (var comm in comms)
        {
            Assert.Equal(2 * 3 * 8000 / 4 + 2 * 3 * 40 / 4, comm.Counters.AllReduceBytes);
            Assert.Equal(3 * 4001 / 4, comm.Counters.BroadcastBytes); // 3000.75 rounds down
            Assert.Equal(0, comm.Counters.AllGatherBytes + comm.Counters.ReduceScatterBytes);
        }
        comms[0].Counters.Reset();
        Assert.Equal(0, comms[0].Counters.TotalBytes);
    }

    [Fact]
    public void A_group_of_one_moves_nothing()
    {
        var comm = DeviceGroup.Cpu(1).CreateShardCommunicators().Single();
        comm.AllGather(new float[5], new float[5], [5]);
        comm.AllReduce(new float[5], ReductionOperation.Sum);
        comm.Broadcast(new byte[5], 0);
        Assert.Equal(0, comm.Counters.TotalBytes);
    }

    [Theory]
    [InlineData(1, 1000, 0, 0, 0)]
    [InlineData(2, 1000, 500, 1000, 500)]
    [InlineData(3, 1000, 666, 1333, 666)]
    [InlineData(8, 2 << 20, 7 << 18, 7 << 19, 7 << 18)]
    public void Ring_formulas_round_down(int ranks, long bytes, long gather, long allReduce, long broadcast)
    {
        Assert.Equal(gather, RingTraffic.AllGather(ranks, bytes));
        Assert.Equal(gather, RingTraffic.ReduceScatter(ranks, bytes));
        Assert.Equal(allReduce, RingTraffic.AllReduce(ranks, bytes));
        Assert.Equal(broadcast, RingTraffic.Broadcast(ranks, bytes));
    }
}
