using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// Gradient checks: a float64 reference validated by finite differences, then the engine's float32 gradients
/// (captured by an update rule that writes the mean gradient into the weights) compared with it — for every
/// activation and loss, sparse and dense inputs, dropout with its fixed mask, the sparseness penalty and skip
/// connections.
/// </summary>
public sealed class GradientCheckTests
{
    private const int Items = 11;
    private const int Rows = 6;

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    private static readonly Dictionary<string, Func<GradientCase>> Cases = BuildCases();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void EngineGradientsMatchTheFloat64Reference(string name) => CheckGradients(name, weights: null);

    /// <summary>Per-example weights (one of them 0, one above 1) multiply each example's loss and deltas.</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void WeightedGradientsMatchTheFloat64Reference(string name) => CheckGradients(name, ExampleWeights);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void WeightedReportedLossMatchesTheReferenceDataLoss(string name)
    {
        var c = Cases[name]();
        using var model = new TestModel(c.Spec, KernelsFor(c.Spec, typeof(CaptureGradient), c.Penalty));
        var (w0, b0) = Parameters(model);
        var expected = new ReferenceNetwork(c.Spec, w0, b0) { ExampleWeights = ExampleWeights.Select(w => (double)w).ToArray() }.DataLoss(c.ReferenceInputs);
        var unweighted = model.Loss(c.Data);
        var actual = model.Loss(c.Data.WithExampleWeights(ExampleWeights));
        Assert.True(Math.Abs(expected - actual) <= 1e-4 + (1e-4 * Math.Abs(expected)), $"{name}: weighted loss {actual} vs reference {expected}");
        Assert.True(Math.Abs(actual - unweighted) > 1e-3 * Math.Abs(unweighted), $"{name}: the weights changed nothing ({actual} vs unweighted {unweighted}).");
    }

    /// <summary>w_b for the 6 rows: a zero, a weight above 1, fractions.</summary>
    private static readonly float[] ExampleWeights = { 1f, 0f, 2.5f, 0.5f, 1f, 0.25f };

    private static void CheckGradients(string name, float[]? weights)
    {
        var c = Cases[name]();
        if (weights is not null) c = c with { Data = c.Data.WithExampleWeights(weights) };
        var (w0, b0, gW, gb) = EngineGradients(c);
        var reference = Reference(c, w0, b0, MaskOf(c.Spec), weights);
        reference.Gradients(c.ReferenceInputs, out var dW, out var db);
        FiniteDifferenceCheck(reference, c.ReferenceInputs, dW, db);
        var mismatches = Mismatches(c, w0, gW, gb, dW, db);
        Assert.True(mismatches.Count == 0, $"{name}: {mismatches.Count} mismatches, first: {string.Join(Environment.NewLine, mismatches.Take(5))}");
    }

    /// <summary>
    /// Negative control: the comparison above rejects a reference whose dropout rate or scale is wrong. The reference's
    /// mask is its own (docs/semantics.md's RNG, re-implemented), so a wrong rate or scale in the runtime's
    /// <c>DropoutMask</c> shows up the same way: as a disagreement, not as a shared error.
    /// </summary>
    [Theory]
    [InlineData("dropout with its fixed mask")]
    [InlineData("dense input with dropout, dense targets")]
    public void AWrongDropoutRateOrScaleInTheReferenceIsRejected(string name)
    {
        var c = Cases[name]();
        var (w0, b0, gW, gb) = EngineGradients(c);
        foreach (var (what, mask) in new (string, Func<string, int, int, double>)[]
        {
            ("rate 0.5p", MaskOf(c.Spec, rateFactor: 0.5)),
            ("scale 1 instead of 1/(1 - p)", (l, r, u) => MaskOf(c.Spec)(l, r, u) == 0 ? 0 : 1),
        })
        {
            var reference = Reference(c, w0, b0, mask);
            reference.Gradients(c.ReferenceInputs, out var dW, out var db);
            Assert.True(Mismatches(c, w0, gW, gb, dW, db).Count > 0, $"{name}: a reference with dropout {what} matched the engine");
        }
    }

    private static (Dictionary<(string, string), double[,]> W0, Dictionary<string, double[]> B0, Dictionary<(string, string), double[,]> GW, Dictionary<string, double[]> Gb) EngineGradients(GradientCase c)
    {
        using var model = new TestModel(c.Spec, KernelsFor(c.Spec, typeof(CaptureGradient), c.Penalty));
        var (w0, b0) = Parameters(model);
        model.Train(c.Data, new TrainingOptions { Epochs = 1, Batch = Rows });
        var (gW, gb) = Parameters(model);
        return (w0, b0, gW, gb);
    }

    private static ReferenceNetwork Reference(GradientCase c, Dictionary<(string, string), double[,]> w0, Dictionary<string, double[]> b0, Func<string, int, int, double> mask, float[]? weights = null)
        => new(c.Spec, Copy(w0), Copy(b0))
        {
            Mask = mask,
            ExampleWeights = weights?.Select(w => (double)w).ToArray(),
            SparsenessP = c.Spec.Training.SparsenessP,
            SparsenessBeta = c.Penalty ? c.Spec.Training.SparsenessBeta : 0,
            PenaltyLayers = c.Penalty ? c.Spec.Layers.Where(l => l.Kind == LayerKind.Hidden).Select(l => l.Name).ToHashSet() : new(),
        };

    private static Dictionary<(string, string), double[,]> Copy(Dictionary<(string, string), double[,]> w) => w.ToDictionary(e => e.Key, e => (double[,])e.Value.Clone());

    private static Dictionary<string, double[]> Copy(Dictionary<string, double[]> b) => b.ToDictionary(e => e.Key, e => (double[])e.Value.Clone());

    /// <summary>Every gradient element outside the float32 tolerance (the engine's gradients were captured as its weights).</summary>
    private static List<string> Mismatches(GradientCase c, Dictionary<(string, string), double[,]> w0, Dictionary<(string, string), double[,]> gW, Dictionary<string, double[]> gb,
        Dictionary<(string, string), double[,]> dW, Dictionary<string, double[]> db)
    {
        var problems = new List<string>();
        foreach (var ((layer, source), expected) in dW)
        {
            var actual = gW[(layer, source)];
            var before = w0[(layer, source)];
            var sparseSource = c.Spec[source].Kind == LayerKind.Input && c.Spec[source].Sparse;
            for (var i = 0; i < expected.GetLength(0); i++)
            {
                var occurs = !sparseSource || Enumerable.Range(0, Rows).Any(r => c.ReferenceInputs[source][r, i] != 0);
                for (var j = 0; j < expected.GetLength(1); j++)
                {
                    if (!occurs)
                    {
                        if (actual[i, j] != before[i, j]) problems.Add($"{source}→{layer} row {i} does not occur in the batch but its weight changed.");
                        continue;
                    }
                    if (!Close(expected[i, j], actual[i, j])) problems.Add($"dJ/dW {source}→{layer} [{i},{j}]: engine {actual[i, j]:G6} vs reference {expected[i, j]:G6}");
                }
            }
        }
        foreach (var (layer, expected) in db)
        {
            for (var j = 0; j < expected.Length; j++)
                if (!Close(expected[j], gb[layer][j])) problems.Add($"dJ/db {layer}[{j}]: engine {gb[layer][j]:G6} vs reference {expected[j]:G6}");
        }
        return problems;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReportedLossMatchesTheReferenceDataLoss(string name)
    {
        var c = Cases[name]();
        using var model = new TestModel(c.Spec, KernelsFor(c.Spec, typeof(CaptureGradient), c.Penalty));
        var (w0, b0) = Parameters(model);
        var expected = new ReferenceNetwork(c.Spec, w0, b0).DataLoss(c.ReferenceInputs);
        var actual = model.Loss(c.Data);
        Assert.True(Math.Abs(expected - actual) <= 1e-4 + (1e-4 * Math.Abs(expected)), $"{name}: loss {actual} vs reference {expected}");
    }

    /// <summary>float32 engine vs float64 reference: 2e-4 absolute + 2e-3 relative (sums of a few dozen float32 products).</summary>
    private static bool Close(double expected, double actual) => Math.Abs(expected - actual) <= 2e-4 + (2e-3 * Math.Abs(expected));

    /// <summary>Central differences on the reference objective at a sample of weights and every bias.</summary>
    private static void FiniteDifferenceCheck(ReferenceNetwork reference, Dictionary<string, double[,]> inputs, Dictionary<(string, string), double[,]> dW, Dictionary<string, double[]> db)
    {
        const double h = 1e-6;
        var random = new Random(5);
        foreach (var (key, grad) in dW)
        {
            var w = reference.Weights[key];
            for (var n = 0; n < 12; n++)
            {
                var i = random.Next(w.GetLength(0));
                var j = random.Next(w.GetLength(1));
                var keep = w[i, j];
                w[i, j] = keep + h;
                var plus = reference.Objective(inputs);
                w[i, j] = keep - h;
                var minus = reference.Objective(inputs);
                w[i, j] = keep;
                var numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - grad[i, j]) <= 1e-6 + (1e-5 * Math.Abs(numeric)), $"reference dW {key} [{i},{j}]: analytic {grad[i, j]} vs numeric {numeric}");
            }
        }
        foreach (var (layer, grad) in db)
        {
            var b = reference.Biases[layer];
            for (var j = 0; j < b.Length; j++)
            {
                var keep = b[j];
                b[j] = keep + h;
                var plus = reference.Objective(inputs);
                b[j] = keep - h;
                var minus = reference.Objective(inputs);
                b[j] = keep;
                var numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - grad[j]) <= 1e-6 + (1e-5 * Math.Abs(numeric)), $"reference db {layer}[{j}]: analytic {grad[j]} vs numeric {numeric}");
            }
        }
    }

    /// <summary>
    /// The dropout mask of step 0 as the reference derives it on its own: docs/semantics.md's counter-based draw
    /// (<see cref="ReferenceRng"/>), unit dropped when u &lt; p, survivors scaled by 1/(1 − p) in float64. Nothing
    /// comes from the runtime's <c>DropoutMask</c>. <paramref name="rateFactor"/> ≠ 1 is for the negative control.
    /// </summary>
    private static Func<string, int, int, double> MaskOf(NetworkSpec spec, double rateFactor = 1) => (layer, row, unit) =>
    {
        var index = spec.IndexOf(layer);
        var l = spec.Layers[index];
        if (l.Dropout <= 0) return 1;
        var p = (double)l.Dropout;
        var kept = ReferenceRng.Dropout(spec.Training.Seed, index, step: 0, l.Width, row, unit, p * rateFactor);
        return kept == 0 ? 0 : 1 / (1 - p);
    };

    private static bool Valid(ActivationKind output, LossKind loss) => loss switch
    {
        LossKind.CrossEntropy or LossKind.ScaledMarginalCrossEntropy => output is ActivationKind.Sigmoid or ActivationKind.Softmax,
        LossKind.DataScaledMarginalCrossEntropy => output is ActivationKind.Sigmoid,
        _ => true,
    };

    internal sealed record GradientCase(NetworkSpec Spec, NetworkData Data, Dictionary<string, double[,]> ReferenceInputs, bool Penalty = false);

    private static GradientCase Autoencoder(ActivationKind hidden, ActivationKind output, LossKind loss, bool values = false, float dropout = 0f, bool penalty = false, int seed = 1)
    {
        var data = RandomSparse(Rows, Items, 4, seed, values);
        var spec = Network(
            new[] { Input("items", Items, sparse: true), Hidden("h1", 5, hidden, new[] { "items" }, dropout), Output("scores", Items, output, new[] { "h1" }, "items", sparse: true) },
            new LossSpec(loss), batch: Rows, sparsenessBeta: penalty ? 0.3f : 0f, sparsenessP: 0.2f);
        return new GradientCase(spec, new NetworkData().Add("items", data), new() { ["items"] = Densify(data) }, penalty);
    }

    private static Dictionary<string, Func<GradientCase>> BuildCases()
    {
        var cases = new Dictionary<string, Func<GradientCase>>();
        foreach (var h in Enum.GetValues<ActivationKind>())
        {
            cases[$"hidden {h}, sigmoid + cross_entropy"] = () => Autoencoder(h, ActivationKind.Sigmoid, LossKind.CrossEntropy);
        }
        // Every output activation × every loss the language accepts with it (the cross-entropies need outputs in (0, 1)).
        foreach (var output in Enum.GetValues<ActivationKind>())
        {
            foreach (var loss in Enum.GetValues<LossKind>())
            {
                if (!Valid(output, loss)) continue;
                cases[$"tanh, {output} + {loss}"] = () => Autoencoder(ActivationKind.Tanh, output, loss, values: loss == LossKind.DataScaledMarginalCrossEntropy);
            }
        }
        cases["dropout with its fixed mask"] = () => Autoencoder(ActivationKind.Relu, ActivationKind.Sigmoid, LossKind.ScaledMarginalCrossEntropy, dropout: 0.4f);
        cases["sparseness penalty"] = () => Autoencoder(ActivationKind.Sigmoid, ActivationKind.Sigmoid, LossKind.ScaledMarginalCrossEntropy, penalty: true);
        cases["dropout and sparseness penalty"] = () => Autoencoder(ActivationKind.Sigmoid, ActivationKind.Sigmoid, LossKind.CrossEntropy, dropout: 0.3f, penalty: true);
        cases["dense input with dropout, dense targets"] = () =>
        {
            var x = RandomDense(Rows, 7, 3, unitInterval: true);
            var spec = Network(
                new[] { Input("x", 7, sparse: false, dropout: 0.25f), Hidden("h", 4, ActivationKind.Tanh, new[] { "x" }), Output("y", 7, ActivationKind.Sigmoid, new[] { "h" }, "x", sparse: false) },
                new LossSpec(LossKind.CrossEntropy), batch: Rows);
            return new GradientCase(spec, new NetworkData().Add("x", x), new() { ["x"] = ToDouble(x) });
        };
        cases["skip connections (h3 <- h2, h1)"] = () =>
        {
            var data = RandomSparse(Rows, Items, 4, 9);
            var spec = Network(
                new[]
                {
                    Input("items", Items, sparse: true),
                    Hidden("h1", 6, ActivationKind.Sigmoid, new[] { "items" }),
                    Hidden("h2", 5, ActivationKind.Tanh, new[] { "h1" }),
                    Hidden("h3", 4, ActivationKind.Sigmoid, new[] { "h2", "h1" }),
                    Output("scores", Items, ActivationKind.Sigmoid, new[] { "h3" }, "items", sparse: true),
                },
                new LossSpec(LossKind.ScaledMarginalCrossEntropy), batch: Rows);
            return new GradientCase(spec, new NetworkData().Add("items", data), new() { ["items"] = Densify(data) });
        };
        return cases;
    }
}
