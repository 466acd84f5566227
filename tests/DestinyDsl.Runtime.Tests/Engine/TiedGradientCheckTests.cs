using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// Gradient check of tied weights: one matrix W used as W (owner a → b) and as Wᵀ (tied b → L). The float64
/// reference's ∂J/∂W = G_owner + G_tiedᵀ is checked by central differences that move W in both places at once, then
/// the engine's float32 gradient of the one parameter (captured by an update rule that writes the mean gradient into
/// the weights) is compared with it on 1, 2 and 3 shards — every row, including the sparse input's rows absent from
/// the batch, which the tied use reaches. Negative control: the owner's gradient alone (an untied update) is rejected.
/// </summary>
public sealed class TiedGradientCheckTests
{
    private const int Items = 11;
    private const int Rows = 6;

    private sealed record TiedCase(NetworkSpec Spec, NetworkData Data, Dictionary<string, double[,]> Inputs, (string, string) Tied, (string, string) Owner);

    private static TiedCase Case(string name)
    {
        if (name is "sparse autoencoder" or "batch-normed sparse autoencoder")
        {
            var data = RandomSparse(Rows, Items, 3, seed: 4);
            // The batch-normed variant: the tied decoder reads the normalised code layer, so the tied use's gradient
            // flows through the batch statistics into the owner (both features on one parameter).
            var code = Hidden("h1", 5, ActivationKind.Tanh, new[] { "items" }, dropout: 0.3f);
            if (name.StartsWith("batch-normed", StringComparison.Ordinal)) code = code with { BatchNorm = new BatchNormSpec() };
            var spec = Network(
                new[]
                {
                    Input("items", Items, sparse: true),
                    code,
                    Output("scores", Items, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) with { Tied = new TiedEdgeSpec("items", "h1") },
                },
                new LossSpec(LossKind.CrossEntropy), batch: Rows);
            return new TiedCase(spec, new NetworkData().Add("items", data), new() { ["items"] = Densify(data) }, ("scores", "h1"), ("h1", "items"));
        }
        var x = RandomDense(Rows, 7, 3, unitInterval: true);
        var dense = Network(
            new[]
            {
                Input("x", 7, sparse: false),
                Hidden("h1", 4, ActivationKind.Sigmoid, new[] { "x" }),
                Hidden("h2", 9, ActivationKind.Tanh, new[] { "h1" }),
                Hidden("h3", 4, ActivationKind.Sigmoid, new[] { "h2" }) with { Tied = new TiedEdgeSpec("h1", "h2") },
                Output("y", 7, ActivationKind.Sigmoid, new[] { "h3", "h1" }, "x", sparse: false),
            },
            new LossSpec(LossKind.CrossEntropy), batch: Rows);
        return new TiedCase(dense, new NetworkData().Add("x", x), new() { ["x"] = ToDouble(x) }, ("h3", "h2"), ("h2", "h1"));
    }

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "sparse autoencoder", "batch-normed sparse autoencoder", "dense tie in the middle" })
            foreach (var shards in new[] { 1, 2, 3 }) data.Add(name, shards);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheSharedMatrixGetsBothGradients(string name, int shards)
    {
        var c = Case(name);
        var (w0, b0, gW) = EngineGradients(c, shards);
        var expected = ReferenceGradient(c, w0, b0, includeTiedUse: true, checkNumerically: true);
        var problems = Mismatches(gW[c.Owner], expected);
        Assert.True(problems.Count == 0, $"{name} on {shards} shard(s): {problems.Count} mismatches, first:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(5))}");
        // The tied use reads the same parameter: its matrix is the owner's transposed, after the step too.
        var tied = gW[c.Tied];
        for (var i = 0; i < tied.GetLength(0); i++)
            for (var j = 0; j < tied.GetLength(1); j++) Assert.Equal(gW[c.Owner][j, i], tied[i, j]);
    }

    [Theory]
    [InlineData("sparse autoencoder")]
    [InlineData("batch-normed sparse autoencoder")]
    [InlineData("dense tie in the middle")]
    public void TheOwnersGradientAloneIsRejected(string name)
    {
        var c = Case(name);
        var (w0, b0, gW) = EngineGradients(c, shards: 1);
        var ownerOnly = ReferenceGradient(c, w0, b0, includeTiedUse: false, checkNumerically: false);
        Assert.True(Mismatches(gW[c.Owner], ownerOnly).Count > 0, $"{name}: the owner's gradient alone matched the engine");
    }

    private static (Dictionary<(string, string), double[,]> W0, Dictionary<string, double[]> B0, Dictionary<(string, string), double[,]> GW) EngineGradients(TiedCase c, int shards)
    {
        using var model = new TestModel(c.Spec, KernelsFor(c.Spec, typeof(CaptureGradient)), DeviceGroup.Cpu(shards));
        var (w0, b0) = Parameters(model);
        model.Train(c.Data, new TrainingOptions { Epochs = 1, Batch = Rows });
        var (gW, _) = Parameters(model);
        return (w0, b0, gW);
    }

    /// <summary>∂J/∂W of the owner's matrix in float64: G_owner (+ G_tiedᵀ), optionally checked by central differences.</summary>
    private static double[,] ReferenceGradient(TiedCase c, Dictionary<(string, string), double[,]> w0, Dictionary<string, double[]> b0, bool includeTiedUse, bool checkNumerically)
    {
        var reference = new ReferenceNetwork(c.Spec, w0.ToDictionary(e => e.Key, e => (double[,])e.Value.Clone()), b0.ToDictionary(e => e.Key, e => (double[])e.Value.Clone()))
        {
            Mask = (layer, row, unit) =>
            {
                var index = c.Spec.IndexOf(layer);
                var l = c.Spec.Layers[index];
                if (l.Dropout <= 0) return 1;
                return ReferenceRng.Dropout(c.Spec.Training.Seed, index, 0, l.Width, row, unit, l.Dropout) == 0 ? 0 : 1 / (1 - (double)l.Dropout);
            },
        };
        reference.Gradients(c.Inputs, out var dW, out _);
        var owner = (double[,])dW[c.Owner].Clone();
        var tied = dW[c.Tied];
        if (includeTiedUse)
            for (var i = 0; i < owner.GetLength(0); i++)
                for (var j = 0; j < owner.GetLength(1); j++) owner[i, j] += tied[j, i];
        if (checkNumerically) FiniteDifferences(reference, c, owner);
        return owner;
    }

    /// <summary>Central differences of the objective moving W[i, j] in the owner and Wᵀ[j, i] in the tied use together.</summary>
    private static void FiniteDifferences(ReferenceNetwork reference, TiedCase c, double[,] gradient)
    {
        const double h = 1e-6;
        var w = reference.Weights[c.Owner];
        var t = reference.Weights[c.Tied];
        var random = new Random(11);
        for (var n = 0; n < 16; n++)
        {
            var i = random.Next(w.GetLength(0));
            var j = random.Next(w.GetLength(1));
            var keep = w[i, j];
            (w[i, j], t[j, i]) = (keep + h, keep + h);
            var plus = reference.Objective(c.Inputs);
            (w[i, j], t[j, i]) = (keep - h, keep - h);
            var minus = reference.Objective(c.Inputs);
            (w[i, j], t[j, i]) = (keep, keep);
            var numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i, j]) <= 1e-6 + (1e-5 * Math.Abs(numeric)), $"reference ∂J/∂W [{i},{j}]: analytic {gradient[i, j]} vs numeric {numeric}");
        }
    }

    /// <summary>float32 engine vs float64 reference, as in <see cref="GradientCheckTests"/>: 2e-4 absolute + 2e-3 relative.</summary>
    private static List<string> Mismatches(double[,] actual, double[,] expected)
    {
        var problems = new List<string>();
        for (var i = 0; i < expected.GetLength(0); i++)
            for (var j = 0; j < expected.GetLength(1); j++)
                if (Math.Abs(expected[i, j] - actual[i, j]) > 2e-4 + (2e-3 * Math.Abs(expected[i, j])))
                    problems.Add($"dJ/dW [{i},{j}]: engine {actual[i, j]:G6} vs reference {expected[i, j]:G6}");
        return problems;
    }
}
