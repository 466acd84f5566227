using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests.InProcess;

[Collection(IsolatedCollection.Name)]
public class AllocationTests
{
    [Fact]
    public void Collectives_allocate_nothing_once_warmed_up()
    {
        const int shards = 3, total = 30_001;
        int[] counts = [10_000, 10_001, 10_000];
        var comms = DeviceGroup.Cpu(shards).CreateShardCommunicators();
        var allocated = Shards.Run(comms, comm =>
        {
            var full = new float[total];
            var mine = new float[counts[comm.Rank]];
            var small = new float[100];
            var large = new double[100_000]; // chunked all-reduce path
            var bytes = new byte[4096];
            void Round()
            {
                comm.AllGather(mine, full, counts);
                comm.ReduceScatter(full, mine, counts);
                comm.AllReduce(small, ReductionOperation.Sum);
                comm.AllReduce(large, ReductionOperation.Max);
                comm.Broadcast(bytes, root: 1);
                comm.Barrier();
            }
            for (int i = 0; i < 5; i++) Round(); // grows the all-reduce scratch once
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++) Round();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.All(allocated, bytes => Assert.Equal(0, bytes));
    }
}
