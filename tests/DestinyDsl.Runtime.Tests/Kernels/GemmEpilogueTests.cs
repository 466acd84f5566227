using DestinyDsl.Runtime.Kernels;

namespace DestinyDsl.Runtime.Tests.Kernels;

public class GemmEpilogueTests
{
    /// <summary>Counts every element it is handed, records its value, then rewrites it in place (2·x + row).</summary>
    private readonly struct RecordingEpilogue(int[] counts, float[] seen, int n, int m) : IGemmEpilogue
    {
        public void Apply(int row, int column, Span<float> segment)
        {
            Assert.InRange(row, 0, m - 1);
            Assert.InRange(column, 0, n - 1);
            Assert.InRange(column + segment.Length, column + 1, n);
            for (var j = 0; j < segment.Length; j++)
            {
                var at = (row * n) + column + j;
                Interlocked.Increment(ref counts[at]);
                seen[at] = segment[j];
                segment[j] = (2 * segment[j]) + row;
            }
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void EpilogueSeesEveryElementOnceAfterAllOfKAndWritesInPlace(bool transposeA, bool transposeB)
    {
        var random = new Random(21);
        foreach (var width in KernelTestData.Widths)
        {
            for (var threads = 1; threads <= 3; threads++)
            {
                foreach (var smallBlocks in new[] { false, true })
                {
                    var p = GemmChecks.RandomProblem(random, random.Next(1, 70), random.Next(1, 120), random.Next(0, 200), transposeA, transposeB, random.Next(2) == 1, padded: true);
                    var product = GemmChecks.FusedChain(p);
                    var counts = new int[p.M * p.N];
                    var seen = new float[p.M * p.N];
                    var c = (float[])p.C0.Clone();
                    KernelTestData.With(width, threads, smallBlocks, () => Gemm.Multiply(
                        p.TransposeA, p.TransposeB, p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, p.Accumulate, c, p.Ldc,
                        new RecordingEpilogue(counts, seen, p.N, p.M)));

                    var context = $"{p} width={width} threads={threads} smallBlocks={smallBlocks}";
                    Assert.True(counts.All(x => x == 1), $"{context}: some element was handed to the epilogue {counts.Min()}..{counts.Max()} times");
                    for (var i = 0; i < p.M; i++)
                    {
                        for (var j = 0; j < p.N; j++)
                        {
                            var expected = product[(i * p.Ldc) + j];
                            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(seen[(i * p.N) + j]), $"{context}: epilogue saw C[{i},{j}] before all of k was summed");
                            Assert.Equal((2 * expected) + i, c[(i * p.Ldc) + j]);
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void SinkSeesEveryElementOnceWithAllOfKSummed(bool transposeA, bool transposeB)
    {
        var random = new Random(22);
        foreach (var width in KernelTestData.Widths)
        {
            for (var threads = 1; threads <= 3; threads++)
            {
                foreach (var smallBlocks in new[] { false, true })
                {
                    // Several k blocks with small blocks: the sink must wait for the last one.
                    var p = GemmChecks.RandomProblem(random, random.Next(1, 70), random.Next(1, 120), random.Next(0, 200), transposeA, transposeB, accumulate: false, padded: true);
                    var product = GemmChecks.FusedChain(p);
                    var counts = new int[p.M * p.N];
                    var seen = new float[p.M * p.N];
                    KernelTestData.With(width, threads, smallBlocks, () => Gemm.MultiplyToSink(
                        p.TransposeA, p.TransposeB, p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, new RecordingEpilogue(counts, seen, p.N, p.M)));

                    var context = $"{p} width={width} threads={threads} smallBlocks={smallBlocks}";
                    Assert.True(counts.All(x => x == 1), $"{context}: some element was handed to the sink {counts.Min()}..{counts.Max()} times");
                    for (var i = 0; i < p.M; i++)
                    {
                        KernelTestData.AssertBitwiseEqual(product.AsSpan(i * p.Ldc, p.N), seen.AsSpan(i * p.N, p.N), $"{context}: row {i}");
                    }
                }
            }
        }
    }

    [Fact]
    public void SinkMatchesReferenceOnTheWeightGradientShape()
    {
        // dW = Aᵀ·δ with A stored batch × in, δ batch × out: the shape the fused optimizer pass uses.
        var random = new Random(23);
        var p = GemmChecks.RandomProblem(random, 200, 333, 64, transposeA: true, transposeB: false, accumulate: false, padded: false);
        var gradient = new float[p.M * p.N];
        Gemm.MultiplyToSink(true, false, p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, new CopySink(gradient, p.N));
        GemmChecks.AssertMatchesReference(p, gradient);
    }

    private readonly struct CopySink(float[] into, int n) : IGemmEpilogue
    {
        public void Apply(int row, int column, Span<float> segment) => segment.CopyTo(into.AsSpan((row * n) + column));
    }

    /// <summary>Runs a small product of its own inside every call (as an epilogue that normalises with a GEMM might).</summary>
    private readonly struct NestingEpilogue(float[] inner, int[] calls) : IGemmEpilogue
    {
        public void Apply(int row, int column, Span<float> segment)
        {
            var c = new float[4];
            Gemm.Multiply(false, false, 2, 2, 40, inner, 40, inner, 2, false, c, 2);
            var expected = new float[4];
            GemmReference.Multiply(false, false, 2, 2, 40, inner, 40, inner, 2, false, expected, 2);
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(expected[i], c[i], 4);
            }
            Interlocked.Increment(ref calls[0]);
        }
    }

    [Fact]
    public void KernelCalledFromAnEpilogueRunsInlineWithoutDeadlock()
    {
        var random = new Random(24);
        var p = GemmChecks.RandomProblem(random, 100, 300, 100, false, false, false, padded: false);
        var inner = KernelTestData.RandomFloats(random, 80);
        var calls = new int[1];
        var c = new float[p.M * p.N];
        KernelTestData.With(0, 3, smallBlocks: true, () => Gemm.Multiply(false, false, p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, false, c, p.Ldc, new NestingEpilogue(inner, calls)));
        Assert.True(calls[0] >= p.M);
        KernelTestData.AssertBitwiseEqual(GemmChecks.FusedChain(p), c, p.ToString());
    }
}
