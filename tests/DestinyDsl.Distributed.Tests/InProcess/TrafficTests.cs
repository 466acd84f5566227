using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests.InProcess;

/// <summary>Byte counters against the analytic formulas of docs/distributed.md.</summary>
public class TrafficTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_sparse_autoencoder_step_moves_4_times_P_minus_1_over_P_times_B_H_floats(int shards)
    {
        // Per step of x(N, sparse) → h(H) → y(N) with both wide layers sharded: forward RS + AG of the B×H hidden
        // pre-activations/activations, backward RS + AG of the hidden deltas.
        const int batch = 48, hidden = 32, steps = 3;
        int elements = batch * hidden;
        var counts = Enumerable.Range(0, shards).Select(r => elements * (r + 1) / shards - elements * r / shards).ToArray();
        var comms = DeviceGroup.Cpu(shards).CreateShardCommunicators();
        Shards.Run(comms, comm =>
        {
            var full = new float[elements];
            var mine = new float[counts[comm.Rank]];
            for (int step = 0; step < steps; step++)
            {
                comm.ReduceScatter(full, mine, counts); // forward: partial z of the hidden layer
                comm.AllGather(mine, full, counts);     // forward: hidden activations for the output layer
                comm.ReduceScatter(full, mine, counts); // backward: partial hidden deltas
                comm.AllGather(mine, full, counts);     // backward: hidden deltas for the input layer's gradient
            }
            return 0;
        });

        long perStep = 4L * (shards - 1) * batch * hidden * sizeof(float) / shards;
        foreach (var comm in comms)
        {
            Assert.Equal(steps * perStep, comm.Counters.TotalBytes);
            Assert.Equal(steps * perStep / 2, comm.Counters.AllGatherBytes);
            Assert.Equal(steps * perStep / 2, comm.Counters.ReduceScatterBytes);
        }
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
