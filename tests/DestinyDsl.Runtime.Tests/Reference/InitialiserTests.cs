using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Reference;

/// <summary>
/// Every initialiser and <c>bias(...)</c> of the language, from the .dnet text through the generator to the drawn
/// weights: each edge's sample (30 000 – 150 000 weights) against the distribution docs/semantics.md gives for the
/// scheme, with the parameters written here from the file (not read back from the spec). Checked: the bounds of the
/// bounded schemes (nothing outside, and the extremes within a hair of the bounds), the mean, the variance, and the
/// fraction beyond 2σ (which tells a normal from a uniform of the same variance). Bounds on the mean and variance are
/// <see cref="Sigmas"/> standard errors of the estimator under the distribution (variance of s²: σ⁴(κ − 1)/n with the
/// kurtosis κ = 1.8 uniform, 3 normal); fixed seeds. Each check also rejects samples from a wrong distribution.
/// </summary>
public sealed class InitialiserTests
{
    private const double Sigmas = 5;

    /// <summary>What a scheme draws: U(lo, hi) or N(0, σ²) or a constant.</summary>
    internal sealed record Distribution(string Name, double Low, double High, double Std = 0, double Value = double.NaN)
    {
        public static Distribution Uniform(double low, double high) => new($"U({low:G4}, {high:G4})", low, high);
        public static Distribution Normal(double std) => new($"N(0, {std:G4}²)", double.NegativeInfinity, double.PositiveInfinity, std);
        public static Distribution Constant(double value) => new($"constant {value}", value, value, 0, value);
        public bool IsUniform => double.IsFinite(Low) && Low < High;
        public bool IsNormal => Std > 0;
    }

    /// <summary>Per layer: its source width n_in, its width n_out, the weight distribution and the bias, from Initialisers.dnet.</summary>
    public static TheoryData<string> Layers => new(Expected.Keys);

    private static readonly Dictionary<string, (Distribution Weights, double Bias)> Expected = new()
    {
        // xavier(2): U(−s/2, s/2), s = 2·√(6 / (500 + 300)).
        ["xa"] = (Distribution.Uniform(-Math.Sqrt(6.0 / 800), Math.Sqrt(6.0 / 800)), 0.25),
        // caffe_xavier(1.5): U(±1.5·√(3 / n_out)), n_out = 200.
        ["cx"] = (Distribution.Uniform(-1.5 * Math.Sqrt(3.0 / 200), 1.5 * Math.Sqrt(3.0 / 200)), -1),
        ["ga"] = (Distribution.Normal(0.05), 0),
        ["un"] = (Distribution.Uniform(-0.3, 0.3), 3),
        ["ub"] = (Distribution.Uniform(0, 0.7), 0),
        // lecun(1.5): N(0, 1.5² / n_in), n_in = 250 (ub).
        ["lc"] = (Distribution.Normal(1.5 / Math.Sqrt(250)), 0),
        ["co"] = (Distribution.Constant(-0.125), -0.5),
        // Defaults: xavier(1) with n_in = 100, n_out = 300; bias 0.
        ["df"] = (Distribution.Uniform(-0.5 * Math.Sqrt(6.0 / 400), 0.5 * Math.Sqrt(6.0 / 400)), 0),
        ["y"] = (Distribution.Uniform(-0.5 * Math.Sqrt(6.0 / 800), 0.5 * Math.Sqrt(6.0 / 800)), 0),
    };

    private static readonly Lazy<Initialisers> Model = new(() => new Initialisers());

    [Theory]
    [MemberData(nameof(Layers))]
    public void DrawnWeightsFollowTheSchemeAndBiasesStartAtTheirValue(string layer)
    {
        var model = Model.Value;
        var spec = model.Spec[layer];
        var (distribution, bias) = Expected[layer];
        var weights = model.GetWeights(layer, spec.Sources.Single());
        var problems = Check(weights.Data.Select(v => (double)v).ToArray(), distribution);
        Assert.True(problems.Count == 0, $"{layer} ({weights.Rows}×{weights.Columns}) against {distribution.Name}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        Assert.All(model.GetBias(layer).ToArray(), b => Assert.Equal((float)bias, b));
    }

    [Fact]
    public void EveryShardCountDrawsTheSameWeights()
    {
        using var three = new Initialisers(devices: Distributed.DeviceGroup.Cpu(3));
        foreach (var layer in Expected.Keys)
        {
            var source = Model.Value.Spec[layer].Sources.Single();
            Assert.Equal(Model.Value.GetWeights(layer, source).Data, three.GetWeights(layer, source).Data);
        }
    }

    /// <summary>Negative controls: the checks reject a uniform with twice the bound (xavier without DSSTNE's halving), a
    /// normal with n_out where n_in belongs, a uniform of the right variance posing as a normal, a shifted mean, a
    /// one-sided uniform, and a constant off by a sign.</summary>
    [Fact]
    public void TheChecksRejectWrongDistributions()
    {
        var random = new Random(17);
        double[] Uniform(double lo, double hi, int n = 100_000) => Enumerable.Range(0, n).Select(_ => lo + ((hi - lo) * random.NextDouble())).ToArray();
        double[] Normal(double std, int n = 100_000) => Enumerable.Range(0, n).Select(_ => std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();
        var b = Math.Sqrt(6.0 / 800);
        var lecun = 1.5 / Math.Sqrt(250);
        var cases = new (string What, double[] Sample, Distribution Expected, bool Valid)[]
        {
            ("the right uniform", Uniform(-b, b), Distribution.Uniform(-b, b), true),
            ("the right normal", Normal(lecun), Distribution.Normal(lecun), true),
            ("xavier without the halving", Uniform(-2 * b, 2 * b), Distribution.Uniform(-b, b), false),
            ("a uniform narrower by 2%", Uniform(-0.98 * b, 0.98 * b), Distribution.Uniform(-b, b), false),
            ("lecun with n_out = 350 for n_in = 250", Normal(1.5 / Math.Sqrt(350)), Distribution.Normal(lecun), false),
            ("a uniform of the normal's variance", Uniform(-lecun * Math.Sqrt(3), lecun * Math.Sqrt(3)), Distribution.Normal(lecun), false),
            ("a normal shifted by 0.05σ", Normal(lecun).Select(v => v + (0.05 * lecun)).ToArray(), Distribution.Normal(lecun), false),
            ("unit_ball drawn symmetric", Uniform(-0.35, 0.35), Distribution.Uniform(0, 0.7), false),
            ("constant with the wrong sign (DSSTNE's)", Enumerable.Repeat(0.125, 1000).ToArray(), Distribution.Constant(-0.125), false),
        };
        foreach (var (what, sample, expected, valid) in cases)
        {
            var problems = Check(sample, expected);
            Assert.True(valid == (problems.Count == 0), $"{what} against {expected.Name}: {(valid ? string.Join("; ", problems) : "passed the checks")}");
        }
    }

    /// <summary>The distribution checks; an empty list when the sample passes.</summary>
    internal static List<string> Check(double[] sample, Distribution d)
    {
        var problems = new List<string>();
        var n = sample.Length;
        if (!double.IsNaN(d.Value))
        {
            var off = sample.Count(v => v != (float)d.Value);
            if (off > 0) problems.Add($"{off} of {n} values differ from {d.Value}");
            return problems;
        }
        var mean = sample.Average();
        var variance = sample.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        double mu, sigma2, kurtosis;
        if (d.IsUniform)
        {
            mu = (d.Low + d.High) / 2;
            sigma2 = (d.High - d.Low) * (d.High - d.Low) / 12;
            kurtosis = 1.8;
            var min = sample.Min();
            var max = sample.Max();
            // float32 storage: allow one ulp beyond the bound.
            var ulp = 1.2e-7 * Math.Max(Math.Abs(d.Low), Math.Abs(d.High));
            if (min < d.Low - ulp || max > d.High + ulp) problems.Add($"values [{min:G6}, {max:G6}] outside [{d.Low:G6}, {d.High:G6}]");
            // The extremes of n uniform draws lie within ε·width of the bounds but with probability (1 − ε)ⁿ ≈ e^(−εn): ε = 40/n.
            var slack = 40.0 / n * (d.High - d.Low);
            if (min > d.Low + slack || max < d.High - slack) problems.Add($"values [{min:G6}, {max:G6}] do not reach [{d.Low:G6}, {d.High:G6}] (within {slack:G3})");
        }
        else
        {
            mu = 0;
            sigma2 = d.Std * d.Std;
            kurtosis = 3;
            // P(|X| > 2σ) = 0.0455 for a normal (0 for a uniform of the same variance, which stops at 1.73σ).
            var q = 0.04550026389635842;
            var beyond = sample.Count(v => Math.Abs(v) > 2 * d.Std);
            var sd = Math.Sqrt(n * q * (1 - q));
            if (Math.Abs(beyond - (n * q)) > Sigmas * sd) problems.Add($"{beyond} of {n} beyond 2σ, expected {n * q:F0} ± {Sigmas * sd:F0}");
        }
        var meanBound = Sigmas * Math.Sqrt(sigma2 / n);
        if (Math.Abs(mean - mu) > meanBound) problems.Add($"mean {mean:G6}, expected {mu:G6} ± {meanBound:G3}");
        var varianceBound = Sigmas * sigma2 * Math.Sqrt((kurtosis - 1) / n);
        if (Math.Abs(variance - sigma2) > varianceBound) problems.Add($"variance {variance:G6}, expected {sigma2:G6} ± {varianceBound:G3}");
        return problems;
    }
}
