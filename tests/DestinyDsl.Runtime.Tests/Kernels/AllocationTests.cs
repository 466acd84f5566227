using DestinyDsl.Runtime.Kernels;

namespace DestinyDsl.Runtime.Tests.Kernels;

/// <summary>
/// Steady-state kernel calls allocate nothing. Runs alone: kernel calls made by tests running in parallel can make this
/// thread the first to contend for the pool's lock or grow its job list, which allocates once on whichever thread it
/// happens.
/// </summary>
[Collection(IsolatedCollection.Name)]
public class AllocationTests
{
    private readonly struct SumSink(float[] total) : IGemmEpilogue
    {
        public void Apply(int row, int column, Span<float> segment) => total[0] += segment[0];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SteadyStateCallsAllocateNothingOnTheCallingThread(int threads)
    {
        var random = new Random(61);
        var a = KernelTestData.RandomFloats(random, 300 * 200);
        var b = KernelTestData.RandomFloats(random, 200 * 310);
        var c = new float[300 * 310];
        var total = new float[1];
        int[] offsets = [0, 3, 3, 7];
        int[] columns = [1, 5, 9, 0, 2, 5, 8];
        var w = KernelTestData.RandomFloats(random, 10 * 310);
        var scores = KernelTestData.RandomFloats(random, 5000);
        var indices = new int[20];
        var values = new float[20];

        void Calls()
        {
            Gemm.Multiply(false, true, 300, 310, 200, a, 200, b, 200, false, c, 310);
            Gemm.Multiply(true, false, 200, 310, 300, a, 200, c, 310, true, b, 310, new SumSink(total));
            Gemm.MultiplyToSink(false, false, 300, 310, 200, a, 200, b, 310, new SumSink(total));
            SparseKernels.GatherRows(3, offsets, columns, [], w, 310, 310, false, c, 310);
            SparseKernels.TransposedProductToSink(3, offsets, columns, [], 10, c, 310, 310, new SumSink(total));
            TopK.Select(scores, 20, [0, 2, 5, 8, 9], indices, values);
        }

        KernelTestData.With(0, threads, smallBlocks: false, () =>
        {
            Calls();   // buffers grow, jobs and arenas are created
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 5; i++)
            {
                Calls();
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        });
    }
}
