using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests;

public class SingleCommunicatorTests
{
    [Fact]
    public void Collectives_of_one_copy_or_do_nothing()
    {
        using var comm = new SingleCommunicator();
        var result = new float[4];
        comm.AllGather(new float[] { 1, 2, 3 }, result, [3]);
        Assert.Equal(new float[] { 1, 2, 3, 0 }, result);
        var local = new float[2];
        comm.ReduceScatter(new float[] { 5, 6 }, local, [2]);
        Assert.Equal(new float[] { 5, 6 }, local);
        var buffer = new float[] { 7 };
        comm.AllReduce(buffer, ReductionOperation.Sum);
        Assert.Equal(7, buffer[0]);
        Assert.Equal(1, comm.Split(0, 0).Size);
    }

    [Fact]
    public void Arguments_are_checked_like_every_other_transport()
    {
        using var comm = new SingleCommunicator();
        Assert.Contains("counts has 2 entries but the group has 1 ranks", Assert.Throws<ArgumentException>(() => comm.AllGather(new float[1], new float[2], [1, 1])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => comm.Broadcast(new byte[1], root: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => comm.Split(-3, 0));
    }

    [Fact]
    public void After_abort_every_collective_throws()
    {
        using var comm = new SingleCommunicator();
        var reason = new InvalidOperationException("stop");
        comm.Abort(reason);
        Assert.Same(reason, Assert.Throws<CommunicatorAbortedException>(comm.Barrier).InnerException);
    }
}
