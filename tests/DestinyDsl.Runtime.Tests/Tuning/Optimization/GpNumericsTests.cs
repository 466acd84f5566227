using System.Text.Json;
using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tests.Tuning.Optimization;

/// <summary>
/// The GP core against the reference values of ../shared/reference/gp-golden.json (numpy/scipy, bayesian-optimisation.md
/// §5g). A copy of that file lies beside this test (gp-golden.json, found from the repository root) so the tests do
/// not depend on the shared folder being present.
/// </summary>
public class GpNumericsTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(GoldenPath())).RootElement;

    private static string GoldenPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DestinyDsl.sln")))
            directory = directory.Parent;
        Assert.True(directory is not null, "DestinyDsl.sln not found above " + AppContext.BaseDirectory);
        return Path.Combine(directory!.FullName, "tests", "DestinyDsl.Runtime.Tests", "Tuning", "Optimization", "gp-golden.json");
    }

    private static double[] Vector(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static GaussianProcess GoldenGp()
    {
        var inputs = Golden.GetProperty("inputs");
        var x = inputs.GetProperty("X").EnumerateArray().Select(Vector).ToArray();
        var y = Vector(inputs.GetProperty("y"));
        var h = new GpHyperparameters(inputs.GetProperty("mean").GetDouble(), inputs.GetProperty("amp2").GetDouble(),
            inputs.GetProperty("noise").GetDouble(), Vector(inputs.GetProperty("ls")));
        return new GaussianProcess(x, y, h);
    }

    private static void Close(double expected, double actual, double relative = 1e-10) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), 1e-300),
            $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(expected - actual) / Math.Abs(expected):G3})");

    [Fact]
    public void CovarianceRowMatches()
    {
        var expected = Vector(Golden.GetProperty("K_row0"));
        var row = GoldenGp().CovarianceRow(0);
        for (var i = 0; i < expected.Length; i++)
            Close(expected[i], row[i]);
    }

    [Fact]
    public void CholeskyDiagonalMatches()
    {
        var gp = GoldenGp();
        Assert.Equal(0, gp.Jitter);
        var expected = Vector(Golden.GetProperty("L_diag"));
        var diagonal = gp.CholeskyDiagonal();
        for (var i = 0; i < expected.Length; i++)
            Close(expected[i], diagonal[i]);
    }

    [Fact]
    public void LogMarginalLikelihoodMatches() =>
        Close(Golden.GetProperty("log_marginal_likelihood_with_2pi_const").GetDouble(), GoldenGp().LogMarginalLikelihood);

    [Fact]
    public void PosteriorAndExpectedImprovementMatch()
    {
        var gp = GoldenGp();
        var stars = Golden.GetProperty("inputs").GetProperty("Xstar").EnumerateArray().Select(Vector).ToArray();
        var best = Golden.GetProperty("inputs").GetProperty("best_for_EI_min").GetDouble();
        var means = Vector(Golden.GetProperty("post_mean"));
        var variances = Vector(Golden.GetProperty("post_var"));
        var ei = Vector(Golden.GetProperty("EI_min"));
        for (var i = 0; i < stars.Length; i++)
        {
            var (mean, variance) = gp.Predict(stars[i]);
            Close(means[i], mean, 1e-9);
            Close(variances[i], variance, 1e-9);
            Close(ei[i], NormalMath.ExpectedImprovement(mean, variance, best), 1e-7);
            Close(Math.Log(ei[i]), NormalMath.LogExpectedImprovement(mean, variance, best), 1e-8);
        }
    }

    [Fact]
    public void LogEiIsStableFarIntoTheTail()
    {
        var z = new[] { -40.0, -10, -1, 0, 1, 5 };
        var expected = Vector(Golden.GetProperty("logEI_standard(z) for z=[-40,-10,-1,0,1,5]"));
        for (var i = 0; i < z.Length; i++)
            Close(expected[i], NormalMath.LogH(z[i]), 1e-12);
        // Continuous where the two formulas meet, monotone and finite down to z = −1e6 (the asymptote −z²/2 − ln√2π − 2 ln|z|).
        Close(NormalMath.LogH(-3 + 1e-12), NormalMath.LogH(-3 - 1e-12), 1e-10);
        var previous = double.PositiveInfinity;
        for (var t = 5.0; t >= -1000; t -= 0.25)
        {
            var value = NormalMath.LogH(t);
            Assert.True(double.IsFinite(value) && value < previous, $"log h({t}) = {value}");
            previous = value;
        }
        foreach (var t in new[] { -100.0, -1000, -1e6 })
            Close(-0.5 * t * t - NormalMath.LogSqrt2Pi - 2 * Math.Log(-t) + Math.Log(1 - 3 / (t * t) + 15 / Math.Pow(t, 4)), NormalMath.LogH(t), 1e-12);
    }

    [Fact]
    public void ErfcAndNormalCdfAreAccurate()
    {
        // Values from the closed-form tables (Abramowitz & Stegun; erfc(1) = 0.157299207050285…).
        Close(0.15729920705028513, NormalMath.Erfc(1), 1e-14);
        Close(0.004677734981047266, NormalMath.Erfc(2), 1e-13);
        Close(1.5374597944280349e-12, NormalMath.Erfc(5), 1e-13);
        Close(1.8427007929497148, NormalMath.Erfc(-1), 1e-15);
        Close(0.5, NormalMath.Cdf(0), 1e-15);
        Close(0.8413447460685429, NormalMath.Cdf(1), 1e-14);
        Close(7.619853024160527e-24, NormalMath.Cdf(-10), 1e-12);
    }

    [Fact]
    public void TestFunctionSpotValuesMatch()
    {
        Close(Golden.GetProperty("branin(-pi,12.275)").GetDouble(), TestProblems.BraninAt(-Math.PI, 12.275), 1e-12);
        Close(Golden.GetProperty("branin(0,0)").GetDouble(), TestProblems.BraninAt(0, 0), 1e-12);
        Close(Golden.GetProperty("hartmann6(xstar)").GetDouble(), TestProblems.Hartmann6At([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]), 1e-12);
        Close(Golden.GetProperty("hartmann6(0.5^6)").GetDouble(), TestProblems.Hartmann6At([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]), 1e-12);
    }

    [Fact]
    public void CholeskyAddsGrowingJitterToASingularMatrix()
    {
        // Two identical points without noise: K is singular; the factorisation succeeds with a small jitter.
        var h = new GpHyperparameters(0, 1, 0, [0.5]);
        var gp = new GaussianProcess([[0.3], [0.3], [0.7]], [1.0, 1.0, -1.0], h);
        Assert.InRange(gp.Jitter, 1e-9, 1e-4);
        Assert.True(double.IsFinite(gp.LogMarginalLikelihood));
        Assert.Throws<InvalidOperationException>(() => GaussianProcess.CholeskyWithJitter([-1.0, 0, 0, -1.0], 2, out _));
    }
}
