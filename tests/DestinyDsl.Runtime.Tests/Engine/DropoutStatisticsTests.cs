using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Kernels.Fused;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// The runtime's dropout mask and denoising, tested statistically against their definition (docs/semantics.md,
/// "Regularisers"): the fraction dropped is p, survivors are scaled by exactly 1/(1 − p), the mean mask is 1, and
/// draws are independent across rows, units, steps and layers. Every bound is <see cref="Sigmas"/> standard
/// deviations of the binomial count under the definition (two-sided tail ≈ 6·10⁻⁷ per check; the seeds are fixed, so
/// a run is deterministic and a failure reproduces). Each check is also run on deliberately wrong masks (a rate of
/// 0.9p, a scale of 1, a mask that ignores the row or the step) and must reject them: the checks can fail.
/// </summary>
public sealed class DropoutStatisticsTests
{
    private const double Sigmas = 5;
    private const int Rows = 256;
    private const int Width = 777;
    private const ulong Seed = 20261207;

    public static TheoryData<float> Rates => new() { 0.05f, 0.2f, 0.5f, 0.8f };

    /// <summary>A mask as a function of (step, layer, row, unit).</summary>
    internal delegate float MaskFunction(long step, int layer, int row, int unit);

    private static MaskFunction Runtime(float p) => (step, layer, row, unit) =>
        new DropoutMask(CounterRng.Key(Seed, CounterRng.Stream.Dropout, (ulong)layer, (ulong)step), p, Width, 0).At(row, unit);

    [Theory]
    [MemberData(nameof(Rates))]
    public void TheRuntimeMaskDropsAtRatePScalesByOneOverOneMinusPAndIsIndependent(float p)
    {
        var problems = Check(Runtime(p), p);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void TheReferenceMaskPassesTheSameChecks(float p)
    {
        // The float64 reference's own mask (re-implemented from the documented RNG): right on its own, not by agreement.
        var problems = Check((step, layer, row, unit) => (float)ReferenceRng.Dropout(Seed, layer, step, Width, row, unit, p), p);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void TheChecksRejectAWrongRateAWrongScaleAndRepeatedDraws(float p)
    {
        var scale = 1f / (1f - p);
        float Draw(long step, int layer, int row, int unit, double rate) =>
            ReferenceRng.Uniform(ReferenceRng.Key(Seed, ReferenceRng.DropoutStream, (ulong)layer, (ulong)step), ((ulong)row * Width) + (ulong)unit) < rate ? 0f : scale;
        var broken = new (string What, MaskFunction Mask)[]
        {
            ("rate 0.9p", (s, l, r, u) => Draw(s, l, r, u, 0.9 * p)),
            ("scale 1", (s, l, r, u) => Draw(s, l, r, u, p) == 0 ? 0f : 1f),
            ("scale 1/(1 − p/2)", (s, l, r, u) => Draw(s, l, r, u, p) == 0 ? 0f : 1f / (1f - (p / 2))),
            ("the same mask on every row", (s, l, _, u) => Draw(s, l, 0, u, p)),
            ("the same mask at every step", (_, l, r, u) => Draw(0, l, r, u, p)),
        };
        foreach (var (what, mask) in broken)
        {
            Assert.True(Check(mask, p).Count > 0, $"p = {p}: a mask with {what} passed the checks");
        }
    }

    [Fact]
    public void FillApplyAndShardOffsetsAgreeWithAt()
    {
        var key = CounterRng.Key(Seed, CounterRng.Stream.Dropout, 3, 11);
        var full = new DropoutMask(key, 0.3f, Width, 0);
        var shard = new DropoutMask(key, 0.3f, Width, 500);
        var filled = new float[Width - 500];
        shard.Fill(7, 0, filled);
        var values = Enumerable.Range(0, Width - 500).Select(i => 1f + i).ToArray();
        shard.Apply(values, 7, 0);
        for (var c = 0; c < filled.Length; c++)
        {
            Assert.Equal(full.At(7, 500 + c), shard.At(7, c));
            Assert.Equal(full.At(7, 500 + c), filled[c]);
            Assert.Equal((1f + c) * full.At(7, 500 + c), values[c]);
        }
        // Bit for bit the documented draw the reference re-implements (so the gradient checks compare like with like).
        for (var r = 0; r < 20; r++)
            for (var c = 0; c < Width; c++)
                Assert.True(full.At(r, c) == (float)ReferenceRng.Dropout(Seed, 3, 11, Width, r, c, 0.3f), $"({r}, {c}): runtime mask {full.At(r, c)}, documented draw {ReferenceRng.Dropout(Seed, 3, 11, Width, r, c, 0.3f)}");
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    public void DenoisingDropsEachNonZeroWithProbabilityPAndScalesSurvivors(float p)
    {
        // A sparse input with values: every stored entry of a 4000 × 300 matrix, ~30% dense.
        var random = new Random(3);
        const int rows = 4000, columns = 300;
        var builder = new List<(int Row, int Column, float Value)>();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                if (random.NextDouble() < 0.3) builder.Add((r, c, 0.5f + (float)random.NextDouble()));
        var offsets = new long[rows + 1];
        foreach (var e in builder) offsets[e.Row + 1]++;
        for (var r = 0; r < rows; r++) offsets[r + 1] += offsets[r];
        var matrix = new SparseMatrix(rows, columns, offsets, builder.Select(e => e.Column).ToArray(), builder.Select(e => e.Value).ToArray());
        var slice = SparseSlice.Of(matrix, new UnitRange(0, columns));
        var batch = new SparseBatch();
        var key = CounterRng.Key(Seed, CounterRng.Stream.Denoise, 5);
        var all = Enumerable.Range(0, rows).ToArray();
        batch.Fill(slice, all, p, key, columns);

        long kept = 0, mismatched = 0;
        var scale = 1.0 / (1 - p);
        var at = 0;
        for (var r = 0; r < rows; r++)
        {
            for (var i = batch.Offsets[r]; i < batch.Offsets[r + 1]; i++)
            {
                var c = batch.Columns[i];
                while (builder[at].Row != r || builder[at].Column != c)
                {
                    // A dropped entry: the reference must drop it too.
                    if (ReferenceRng.Denoise(Seed, 5, columns, builder[at].Row, builder[at].Column, p) != 0) mismatched++;
                    at++;
                }
                Assert.True(Math.Abs(batch.Values![i] - (builder[at].Value * scale)) <= 1e-6 * scale * builder[at].Value, $"({r}, {c}) = {batch.Values[i]}, expected {builder[at].Value} × {scale}");
                if (ReferenceRng.Denoise(Seed, 5, columns, r, c, p) == 0) mismatched++;
                kept++;
                at++;
            }
        }
        for (; at < builder.Count; at++) if (ReferenceRng.Denoise(Seed, 5, columns, builder[at].Row, builder[at].Column, p) != 0) mismatched++;
        long n = builder.Count;
        var dropped = n - kept;
        Assert.True(mismatched == 0, $"{mismatched} entries dropped differently from the documented draw");
        var problem = Binomial(dropped, n, p, "denoised entries");
        Assert.True(problem is null, problem);
        // The check rejects a rate 10% off (negative control).
        Assert.NotNull(Binomial((long)(n * p * 0.9), n, p, "a 0.9p rate"));
    }

    /// <summary>The statistical checks of a mask of rate p; an empty list when it passes.</summary>
    internal static List<string> Check(MaskFunction mask, float p)
    {
        var problems = new List<string>();
        var scale = 1.0 / (1.0 - p);
        long n = (long)Rows * Width, dropped = 0, wrongValue = 0;
        double sum = 0;
        for (var r = 0; r < Rows; r++)
        {
            for (var u = 0; u < Width; u++)
            {
                var m = mask(0, 1, r, u);
                sum += m;
                if (m == 0) dropped++;
                else if (Math.Abs(m - scale) > 1e-6 * scale) wrongValue++;
            }
        }
        if (wrongValue > 0) problems.Add($"{wrongValue} kept units are not scaled by 1/(1 − p) = {scale}");
        if (Binomial(dropped, n, p, "dropped units") is { } rate) problems.Add(rate);
        // Mean of the mask: 1, with variance p/(1 − p) per element.
        var mean = sum / n;
        var sd = Math.Sqrt(p / (1 - p) / n);
        if (Math.Abs(mean - 1) > Sigmas * sd) problems.Add($"mean mask {mean:F5}, expected 1 ± {Sigmas * sd:F5} ({Sigmas}σ)");

        // Independence: a pair of elements is dropped together with probability p² (disjoint pairs, so the count is binomial).
        void Pairs(string what, IEnumerable<(float A, float B)> pairs)
        {
            long both = 0, count = 0;
            foreach (var (a, b) in pairs)
            {
                if (a == 0 && b == 0) both++;
                count++;
            }
            if (Binomial(both, count, (double)p * p, $"pairs dropped together ({what})") is { } problem) problems.Add(problem);
        }
        IEnumerable<(float, float)> Grid(int rows, int units, Func<int, int, (float, float)> pair)
        {
            for (var r = 0; r < rows; r++)
                for (var u = 0; u < units; u++) yield return pair(r, u);
        }
        Pairs("rows r and r + R/2", Grid(Rows / 2, Width, (r, u) => (mask(0, 1, r, u), mask(0, 1, r + (Rows / 2), u))));
        Pairs("units 2k and 2k + 1", Grid(Rows, Width / 2, (r, k) => (mask(0, 1, r, 2 * k), mask(0, 1, r, (2 * k) + 1))));
        Pairs("steps 0 and 1", Grid(Rows, Width, (r, u) => (mask(0, 1, r, u), mask(1, 1, r, u))));
        Pairs("layers 1 and 2", Grid(Rows, Width, (r, u) => (mask(0, 1, r, u), mask(0, 2, r, u))));
        return problems;
    }

    /// <summary>Null when <paramref name="k"/> of <paramref name="n"/> is within <see cref="Sigmas"/>σ of Binomial(n, q)'s mean.</summary>
    private static string? Binomial(long k, long n, double q, string what)
    {
        var expected = n * q;
        var sd = Math.Sqrt(n * q * (1 - q));
        return Math.Abs(k - expected) <= Sigmas * sd ? null : $"{what}: {k} of {n}, expected {expected:F0} ± {Sigmas * sd:F0} ({Sigmas}σ of Binomial({n}, {q:G4}))";
    }
}
