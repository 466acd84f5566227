using DestinyDsl.Runtime.Kernels;

namespace DestinyDsl.Runtime.Tests.Kernels;

public class SparseKernelsTests
{
    private sealed record Batch(int Rows, int[] RowOffsets, int[] Columns, float[] Values, int ColumnCount)
    {
        public float Value(int i) => Values.Length == 0 ? 1f : Values[i];

        public override string ToString() => $"rows={Rows} nnz={RowOffsets[Rows] - RowOffsets[0]} columns={ColumnCount} values={(Values.Length == 0 ? "ones" : "given")} base={RowOffsets[0]}";
    }

    // Rows of 0..maxPerRow distinct ascending columns; offsets may start past 0 (a slice of a larger matrix).
    private static Batch RandomBatch(Random random, int rows, int columnCount, int maxPerRow, bool ones)
    {
        var offset = random.Next(0, 3);
        var offsets = new List<int> { offset };
        var columns = Enumerable.Repeat(-1, offset).ToList();
        for (var r = 0; r < rows; r++)
        {
            var count = Math.Min(columnCount, random.Next(0, maxPerRow + 1));
            columns.AddRange(Enumerable.Range(0, columnCount).OrderBy(_ => random.Next()).Take(count).Order());
            offsets.Add(columns.Count);
        }
        var values = ones ? [] : KernelTestData.RandomFloats(random, columns.Count, 2f);
        return new Batch(rows, offsets.ToArray(), columns.ToArray(), values, columnCount);
    }

    private static void AssertClose(float expected, float actual, double magnitude, string context)
    {
        var bound = (1e-6 * magnitude) + 1e-30;
        Assert.True(Math.Abs(expected - (double)actual) <= bound, $"{context}: {actual:R} vs reference {expected:R}");
    }

    [Fact]
    public void GatherRowsMatchesReferenceAndIsIdenticalForEveryWidthAndThreadCount()
    {
        var random = new Random(31);
        for (var trial = 0; trial < 40; trial++)
        {
            var columnCount = random.Next(1, 300);
            var batch = RandomBatch(random, random.Next(1, 40), columnCount, random.Next(0, 40), ones: random.Next(2) == 0);
            var n = trial == 0 ? 2100 + random.Next(0, 40) : random.Next(1, 140);   // trial 0 spans two column blocks
            var ldw = n + random.Next(0, 4);
            var ldz = n + random.Next(0, 4);
            var w = KernelTestData.RandomFloats(random, ((long)(columnCount - 1) * ldw) + n);
            var z0 = KernelTestData.RandomFloats(random, (long)batch.Rows * ldz);
            var accumulate = random.Next(2) == 1;

            var reference = (float[])z0.Clone();
            SparseKernelsReference.GatherRows(batch.Rows, batch.RowOffsets, batch.Columns, batch.Values, w, ldw, n, accumulate, reference, ldz);
            float[]? first = null;
            foreach (var width in KernelTestData.Widths)
            {
                for (var threads = 1; threads <= 3; threads++)
                {
                    var z = (float[])z0.Clone();
                    KernelTestData.With(width, threads, false, () =>
                        SparseKernels.GatherRows(batch.Rows, batch.RowOffsets, batch.Columns, batch.Values, w, ldw, n, accumulate, z, ldz));
                    var context = $"{batch} n={n} accumulate={accumulate} width={width} threads={threads}";
                    first ??= z;
                    KernelTestData.AssertBitwiseEqual(first, z, context);
                    for (var r = 0; r < batch.Rows; r++)
                    {
                        for (var j = 0; j < ldz; j++)
                        {
                            var at = (r * ldz) + j;
                            if (j >= n)
                            {
                                Assert.Equal(z0[at], z[at]);   // padding untouched
                                continue;
                            }
                            double magnitude = accumulate ? Math.Abs(z0[at]) : 0;
                            for (var i = batch.RowOffsets[r]; i < batch.RowOffsets[r + 1]; i++)
                            {
                                magnitude += Math.Abs(batch.Value(i) * w[(batch.Columns[i] * ldw) + j]);
                            }
                            AssertClose(reference[at], z[at], magnitude * (batch.RowOffsets[r + 1] - batch.RowOffsets[r] + 2), $"{context} z[{r},{j}]");
                        }
                    }
                }
            }
        }
    }

    private readonly struct RecordingSink(int[] calls, float[] seen, int n, int columnCount) : IGemmEpilogue
    {
        public void Apply(int row, int column, Span<float> segment)
        {
            Assert.InRange(row, 0, columnCount - 1);
            Assert.Equal(0, column);
            Assert.Equal(n, segment.Length);
            Interlocked.Increment(ref calls[row]);
            segment.CopyTo(seen.AsSpan(row * n, n));
            segment.Fill(float.NaN);   // the segment is scratch: scribbling on it must not matter
        }
    }

    [Fact]
    public void TransposedProductVisitsEachOccurringColumnOnceAndMatchesReference()
    {
        var random = new Random(32);
        for (var trial = 0; trial < 40; trial++)
        {
            var columnCount = random.Next(1, 400);
            var batch = RandomBatch(random, random.Next(1, 50), columnCount, random.Next(0, 30), ones: random.Next(2) == 0);
            var n = random.Next(0, 130);
            var ldd = n + random.Next(0, 4);
            var delta = KernelTestData.RandomFloats(random, Math.Max(0, ((long)(batch.Rows - 1) * ldd) + n));

            var expectedCalls = new int[columnCount];
            var expected = new float[columnCount * n];
            SparseKernelsReference.TransposedProductToSink(batch.Rows, batch.RowOffsets, batch.Columns, batch.Values, columnCount, delta, ldd, n, new RecordingSink(expectedCalls, expected, n, columnCount));
            float[]? first = null;
            foreach (var width in KernelTestData.Widths)
            {
                for (var threads = 1; threads <= 3; threads++)
                {
                    var calls = new int[columnCount];
                    var seen = new float[columnCount * n];
                    KernelTestData.With(width, threads, false, () => SparseKernels.TransposedProductToSink(
                        batch.Rows, batch.RowOffsets, batch.Columns, batch.Values, columnCount, delta, ldd, n, new RecordingSink(calls, seen, n, columnCount)));
                    var context = $"{batch} n={n} width={width} threads={threads}";
                    Assert.Equal(expectedCalls, calls);   // once per occurring column, never for the others
                    first ??= seen;
                    KernelTestData.AssertBitwiseEqual(first, seen, context);
                    for (var c = 0; c < columnCount; c++)
                    {
                        for (var j = 0; j < n; j++)
                        {
                            double magnitude = 0;
                            var terms = 0;
                            for (var r = 0; r < batch.Rows; r++)
                            {
                                for (var i = batch.RowOffsets[r]; i < batch.RowOffsets[r + 1]; i++)
                                {
                                    if (batch.Columns[i] == c)
                                    {
                                        magnitude += Math.Abs(batch.Value(i) * delta[(r * ldd) + j]);
                                        terms++;
                                    }
                                }
                            }
                            AssertClose(expected[(c * n) + j], seen[(c * n) + j], magnitude * (terms + 2), $"{context} g[{c}][{j}]");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void TransposedProductSumsRowsInAscendingOrder()
    {
        // Column 0 occurs in rows 0, 1, 2 with deltas whose float sum shows the order: (1 + 1e8) − 1e8 = 0 in row
        // order (1 is absorbed), while the reverse order gives (−1e8 + 1e8) + 1 = 1.
        int[] offsets = [0, 1, 2, 3];
        int[] columns = [0, 0, 0];
        float[] delta = [1f, 1e8f, -1e8f];
        var calls = new int[1];
        var seen = new float[1];
        SparseKernels.TransposedProductToSink(3, offsets, columns, [], 1, delta, 1, 1, new RecordingSink(calls, seen, 1, 1));
        Assert.Equal(0f, seen[0]);
    }

    [Fact]
    public void OutOfRangeColumnIsReportedWithItsPosition()
    {
        int[] offsets = [0, 2, 3];
        int[] columns = [1, 5, 9];
        var w = new float[5 * 4];
        var error = Assert.Throws<ArgumentException>(() => SparseKernels.GatherRows(2, offsets, columns, [], w, 4, 4, false, new float[8], 4));
        Assert.Contains("columns[1] = 5 (row 0)", error.Message);
        Assert.Contains("[0, 5)", error.Message);

        var sinkError = Assert.Throws<ArgumentException>(() => SparseKernels.TransposedProductToSink(2, offsets, columns, [], 9, new float[8], 4, 4, default(NoEpilogue)));
        Assert.Contains("columns[2] = 9 (row 1)", sinkError.Message);
    }

    [Fact]
    public void DecreasingOffsetsAndShortValuesAreReported()
    {
        var w = new float[16];
        Assert.Contains("must not decrease", Assert.Throws<ArgumentException>(() =>
            SparseKernels.GatherRows(2, [0, 2, 1], [0, 1, 2], [], w, 4, 4, false, new float[8], 4)).Message);
        Assert.Contains("values holds 2 entries", Assert.Throws<ArgumentException>(() =>
            SparseKernels.GatherRows(2, [0, 2, 3], [0, 1, 2], [1f, 2f], w, 4, 4, false, new float[8], 4)).Message);
        Assert.Contains("z holds 7 floats", Assert.Throws<ArgumentException>(() =>
            SparseKernels.GatherRows(2, [0, 2, 3], [0, 1, 2], [], w, 4, 4, false, new float[7], 4)).Message);
    }

    [Fact]
    public void EmptyRowsAreClearedOrKept()
    {
        var z = new float[] { 5, 5, 5, 5 };
        SparseKernels.GatherRows(2, [0, 0, 0], [], [], new float[2], 2, 2, true, z, 2);
        Assert.Equal(new float[] { 5, 5, 5, 5 }, z);
        SparseKernels.GatherRows(2, [0, 0, 0], [], [], new float[2], 2, 2, false, z, 2);
        Assert.Equal(new float[4], z);
    }
}
