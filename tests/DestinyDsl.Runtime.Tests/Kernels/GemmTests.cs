using DestinyDsl.Runtime.Kernels;

namespace DestinyDsl.Runtime.Tests.Kernels;

public class GemmTests
{
    public static TheoryData<int> Widths()
    {
        var data = new TheoryData<int>();
        foreach (var width in KernelTestData.Widths)
        {
            data.Add(width);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void MatchesReferenceOnRandomRaggedShapes(int width)
    {
        var random = new Random(1000 + width);
        for (var trial = 0; trial < 60; trial++)
        {
            var p = GemmChecks.RandomProblem(
                random, random.Next(1, 80), random.Next(1, 90), random.Next(0, 300),
                random.Next(2) == 1, random.Next(2) == 1, random.Next(2) == 1, padded: true);
            var threads = random.Next(1, 4);
            var smallBlocks = random.Next(2) == 1;
            var prepack = random.Next(3) == 0 ? -1 : 0;   // sometimes every operand is packed per item
            float[] fast = [];
            KernelTestData.With(width, threads, smallBlocks, () => fast = GemmChecks.Fast(p), prepack);

            GemmChecks.AssertMatchesReference(p, fast);
            KernelTestData.AssertBitwiseEqual(GemmChecks.FusedChain(p), fast, $"{p} width={width} threads={threads} smallBlocks={smallBlocks}");
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void EveryTranspositionMatchesOnALargerRaggedShape(bool transposeA, bool transposeB)
    {
        var random = new Random(7);
        foreach (var accumulate in new[] { false, true })
        {
            // Not a multiple of any tile, vector or block size; several k blocks and column blocks with the defaults.
            var p = GemmChecks.RandomProblem(random, 131, 301, 523, transposeA, transposeB, accumulate, padded: true);
            float[] fast = [];
            KernelTestData.With(0, 2, smallBlocks: false, () => fast = GemmChecks.Fast(p));
            GemmChecks.AssertMatchesReference(p, fast);
            KernelTestData.AssertBitwiseEqual(GemmChecks.FusedChain(p), fast, p.ToString());
        }
    }

    [Fact]
    public void EveryTinyShapeMatches()
    {
        var random = new Random(3);
        for (var m = 1; m <= 5; m++)
        {
            for (var n = 1; n <= 5; n++)
            {
                for (var k = 0; k <= 5; k++)
                {
                    foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
                    {
                        var p = GemmChecks.RandomProblem(random, m, n, k, ta, tb, accumulate: random.Next(2) == 1, padded: random.Next(2) == 1);
                        var fast = GemmChecks.Fast(p);
                        GemmChecks.AssertMatchesReference(p, fast);
                        KernelTestData.AssertBitwiseEqual(GemmChecks.FusedChain(p), fast, p.ToString());
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ZeroKWritesZerosOrKeepsC(bool accumulate)
    {
        var c = new float[] { 1, 2, 3, 4, 5, 6 };
        Gemm.Multiply(false, false, 2, 3, 0, [], 1, [], 3, accumulate, c, 3);
        Assert.Equal(accumulate ? new float[] { 1, 2, 3, 4, 5, 6 } : new float[6], c);
    }

    [Fact]
    public void EmptyResultTouchesNothing()
    {
        var c = new float[] { 7 };
        Gemm.Multiply(false, false, 0, 5, 3, [], 3, new float[15], 5, false, c, 5);
        Gemm.Multiply(false, false, 4, 0, 3, new float[12], 3, [], 1, false, c, 1);
        Assert.Equal(7f, c[0]);
    }

    [Fact]
    public void ResultsAreBitwiseIdenticalForOneTwoAndThreeThreadsAndEveryWidth()
    {
        var random = new Random(11);
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            var p = GemmChecks.RandomProblem(random, 97, 333, 421, ta, tb, accumulate: true, padded: true);
            float[]? first = null;
            foreach (var smallBlocks in new[] { false, true })
            {
                foreach (var prepack in new long[] { 0, -1 })
                {
                    foreach (var width in KernelTestData.Widths)
                    {
                        for (var threads = 1; threads <= 3; threads++)
                        {
                            float[] fast = [];
                            KernelTestData.With(width, threads, smallBlocks, () => fast = GemmChecks.Fast(p), prepack);
                            first ??= fast;
                            KernelTestData.AssertBitwiseEqual(first, fast, $"{p} width={width} threads={threads} smallBlocks={smallBlocks} prepack={prepack}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void ConcurrentCallsFromSeveralThreadsGiveTheSequentialResults()
    {
        var random = new Random(5);
        var problems = Enumerable.Range(0, 12)
            .Select(i => GemmChecks.RandomProblem(random, 40 + (i * 7), 200 + (i * 13), 150 + (i * 11), i % 2 == 0, i % 3 == 0, i % 4 == 0, padded: true))
            .ToArray();
        var expected = problems.Select(p => GemmChecks.FusedChain(p)).ToArray();
        var results = new float[problems.Length][];

        // Four callers (like four model shards), each limited to two threads, sharing the pool.
        var callers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var round = 0; round < 3; round++)
            {
                for (var i = t; i < problems.Length; i += 4)
                {
                    KernelTestData.With(0, 2, smallBlocks: round == 1, () => results[i] = GemmChecks.Fast(problems[i]));
                }
            }
        })).ToArray();
        foreach (var caller in callers)
        {
            caller.Start();
        }
        foreach (var caller in callers)
        {
            caller.Join();
        }

        for (var i = 0; i < problems.Length; i++)
        {
            KernelTestData.AssertBitwiseEqual(expected[i], results[i], problems[i].ToString());
        }
    }
}
