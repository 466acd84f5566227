using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// Batch normalisation of hidden layers (docs/semantics.md "Batch normalisation") against the float64 reference:
/// gradients of every weight, bias, γ and β (through the batch mean and variance), the running statistics after
/// several steps (PyTorch's momentum update with the unbiased variance), inference with the running statistics,
/// and the same training on 1, 2 and 3 shards.
/// </summary>
public sealed class BatchNormTests
{
    private const int Items = 11;
    private const int Rows = 6;

    private static readonly BatchNormSpec Norm = new(Momentum: 0.3f, Epsilon: 1e-3f);

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    private static readonly Dictionary<string, Func<(NetworkSpec Spec, NetworkData Data, Dictionary<string, double[,]> Inputs)>> Cases = new()
    {
        ["sparse input, relu + batch_norm, sigmoid + cross_entropy"] = () =>
        {
            var data = RandomSparse(Rows, Items, 4, 3);
            var spec = Network(
                new[] { Input("items", Items, sparse: true), Hidden("h1", 5, ActivationKind.Relu, new[] { "items" }, bias: 0.2f) with { BatchNorm = Norm }, Output("scores", Items, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) },
                new LossSpec(LossKind.CrossEntropy), batch: Rows);
            return (spec, new NetworkData().Add("items", data), new() { ["items"] = Densify(data) });
        },
        ["dense input, two batch-normed layers (tanh, sigmoid) with a skip, l2"] = () =>
        {
            var x = RandomDense(Rows, 7, 5, unitInterval: true);
            var spec = Network(
                new[]
                {
                    Input("x", 7, sparse: false),
                    Hidden("h1", 6, ActivationKind.Tanh, new[] { "x" }) with { BatchNorm = Norm },
                    Hidden("h2", 4, ActivationKind.Sigmoid, new[] { "h1", "x" }) with { BatchNorm = new BatchNormSpec() },
                    Output("y", 7, ActivationKind.Sigmoid, new[] { "h2" }, "x", sparse: false),
                },
                new LossSpec(LossKind.L2), batch: Rows);
            return (spec, new NetworkData().Add("x", x), new() { ["x"] = ToDouble(x) });
        },
    };

    /// <summary>γ and β away from their initial 1 and 0, so a backward pass that forgot γ (or β's shift) is caught.</summary>
    private static void Perturb(Model model, NetworkSpec spec, int seed)
    {
        var random = new Random(seed);
        foreach (var l in spec.Layers.Where(l => l.BatchNorm is not null))
        {
            var s = model.GetBatchNorm(l.Name);
            model.SetBatchNorm(l.Name, s with
            {
                Weight = s.Weight.Select(_ => (float)(0.5 + random.NextDouble())).ToArray(),
                Bias = s.Bias.Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(),
            });
        }
    }

    private static ReferenceNetwork Reference(NetworkSpec spec, Model model, Dictionary<string, (double[] Mean, double[] Var)>? running = null, float[]? weights = null)
    {
        var (w, b) = Parameters(model);
        var norms = spec.Layers.Where(l => l.BatchNorm is not null).ToDictionary(l => l.Name, l => model.GetBatchNorm(l.Name));
        return new ReferenceNetwork(spec, w, b)
        {
            Gammas = norms.ToDictionary(e => e.Key, e => e.Value.Weight.Select(v => (double)v).ToArray()),
            Betas = norms.ToDictionary(e => e.Key, e => e.Value.Bias.Select(v => (double)v).ToArray()),
            RunningStatistics = running,
            ExampleWeights = weights?.Select(w => (double)w).ToArray(),
        };
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientsMatchTheFloat64Reference(string name) => CheckGradients(name, weights: null);

    /// <summary>Per-example weights (one 0, one above 1) scale the loss and its deltas but not the batch statistics.</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void WeightedGradientsMatchTheFloat64Reference(string name) => CheckGradients(name, new[] { 1f, 0f, 2.5f, 0.5f, 1f, 0.25f });

    private static void CheckGradients(string name, float[]? weights)
    {
        var (spec, data, inputs) = Cases[name]();
        if (weights is not null) data = data.WithExampleWeights(weights);
        using var model = new TestModel(spec, KernelsFor(spec, typeof(CaptureGradient)));
        Perturb(model, spec, 17);
        var (_, biasesBefore) = Parameters(model);
        var reference = Reference(spec, model, weights: weights);
        reference.Gradients(inputs, out var dW, out var db);
        CheckAgainstFiniteDifferences(reference, inputs, dW, db);

        // One step whose update rule writes the mean gradient into every parameter, γ and β included.
        model.Train(data, new TrainingOptions { Epochs = 1, Batch = Rows });
        var (gW, gb) = Parameters(model);
        var problems = new List<string>();
        foreach (var (key, expected) in dW)
            for (var i = 0; i < expected.GetLength(0); i++)
                for (var j = 0; j < expected.GetLength(1); j++)
                    if (!Close(expected[i, j], gW[key][i, j]) && Occurs(spec, inputs, key.Item2, i)) problems.Add($"dW {key} [{i},{j}]: {gW[key][i, j]:G6} vs {expected[i, j]:G6}");
        foreach (var (layer, expected) in db)
        {
            if (spec[layer].BatchNorm is not null) continue; // checked below
            for (var j = 0; j < expected.Length; j++)
                if (!Close(expected[j], gb[layer][j])) problems.Add($"db {layer}[{j}]: {gb[layer][j]:G6} vs {expected[j]:G6}");
        }
        foreach (var (layer, (dGamma, dBeta)) in reference.NormGradients)
        {
            var s = model.GetBatchNorm(layer);
            for (var j = 0; j < dGamma.Length; j++)
            {
                if (!Close(dGamma[j], s.Weight[j])) problems.Add($"dγ {layer}[{j}]: {s.Weight[j]:G6} vs {dGamma[j]:G6}");
                if (!Close(dBeta[j], s.Bias[j])) problems.Add($"dβ {layer}[{j}]: {s.Bias[j]:G6} vs {dBeta[j]:G6}");
            }
        }
        Assert.True(problems.Count == 0, $"{name}: {problems.Count} mismatches:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(8))}");
        // Normalisation removes the bias from the training objective: the reference's gradient is 0 (to float64
        // rounding), and the engine leaves the bias as it was rather than step on float32 rounding noise.
        foreach (var l in spec.Layers.Where(l => l.BatchNorm is not null))
        {
            Assert.All(db[l.Name], g => Assert.True(Math.Abs(g) < 1e-12, $"{l.Name}: reference bias gradient {g}"));
            Assert.Equal(biasesBefore[l.Name], gb[l.Name]);
        }
    }

    private static bool Occurs(NetworkSpec spec, Dictionary<string, double[,]> inputs, string source, int row)
        => !(spec[source].Kind == LayerKind.Input && spec[source].Sparse) || Enumerable.Range(0, Rows).Any(r => inputs[source][r, row] != 0);

    /// <summary>float32 engine vs float64 reference, as in <see cref="GradientCheckTests"/>.</summary>
    private static bool Close(double expected, double actual) => Math.Abs(expected - actual) <= 2e-4 + (2e-3 * Math.Abs(expected));

    /// <summary>The reference's own gradients (weights, biases, γ, β) against central differences of its objective.</summary>
    private static void CheckAgainstFiniteDifferences(ReferenceNetwork reference, Dictionary<string, double[,]> inputs, Dictionary<(string, string), double[,]> dW, Dictionary<string, double[]> db)
    {
        const double h = 1e-6;
        void Check(string what, double analytic, Action<double> set, double at)
        {
            set(at + h);
            var plus = reference.Objective(inputs);
            set(at - h);
            var minus = reference.Objective(inputs);
            set(at);
            var numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic) <= 1e-6 + (1e-5 * Math.Abs(numeric)), $"reference {what}: analytic {analytic} vs numeric {numeric}");
        }
        var random = new Random(3);
        foreach (var (key, grad) in dW)
        {
            var w = reference.Weights[key];
            for (var n = 0; n < 10; n++)
            {
                var (i, j) = (random.Next(w.GetLength(0)), random.Next(w.GetLength(1)));
                Check($"dW {key} [{i},{j}]", grad[i, j], v => w[i, j] = v, w[i, j]);
            }
        }
        foreach (var (layer, grad) in db)
        {
            var b = reference.Biases[layer];
            for (var j = 0; j < b.Length; j++) Check($"db {layer}[{j}]", grad[j], v => b[j] = v, b[j]);
        }
        foreach (var (layer, (dGamma, dBeta)) in reference.NormGradients.ToArray())
        {
            var gamma = reference.Gammas[layer];
            var beta = reference.Betas[layer];
            for (var j = 0; j < gamma.Length; j++)
            {
                Check($"dγ {layer}[{j}]", dGamma[j], v => gamma[j] = v, gamma[j]);
                Check($"dβ {layer}[{j}]", dBeta[j], v => beta[j] = v, beta[j]);
            }
        }
    }

    /// <summary>
    /// Three steps at learning rate 0 (the weights stay, so each batch's statistics are the reference's): the running
    /// statistics are PyTorch's r ← (1 − m)·r + m·stat with the batch mean and the unbiased batch variance.
    /// A reference that uses the biased variance is rejected.
    /// </summary>
    [Fact]
    public void RunningStatisticsFollowPyTorchsMomentumWithTheUnbiasedVariance()
    {
        var (spec, data, inputs) = LargerDense(batches: 3, learningRate: 0f);
        using var model = new TestModel(spec, KernelsFor(spec, typeof(PlainSgd)));
        Perturb(model, spec, 5);
        var reference = Reference(spec, model);
        model.Train(data, new TrainingOptions { Epochs = 1 });
        foreach (var unbiased in new[] { true, false })
        {
            var mismatches = 0;
            foreach (var l in spec.Layers.Where(l => l.BatchNorm is not null))
            {
                var m = (double)l.BatchNorm!.Momentum;
                var mean = new double[l.Width];
                var variance = Enumerable.Repeat(1.0, l.Width).ToArray();
                for (var batch = 0; batch < 3; batch++)
                {
                    reference.Objective(Slice(inputs, batch * spec.Training.Batch, spec.Training.Batch));
                    var (bm, bv) = reference.BatchStatistics[l.Name];
                    var b = spec.Training.Batch;
                    for (var j = 0; j < l.Width; j++)
                    {
                        mean[j] = ((1 - m) * mean[j]) + (m * bm[j]);
                        variance[j] = ((1 - m) * variance[j]) + (m * bv[j] * (unbiased ? b / (b - 1.0) : 1.0));
                    }
                }
                var actual = model.GetBatchNorm(l.Name);
                for (var j = 0; j < l.Width; j++)
                {
                    if (unbiased)
                    {
                        Assert.True(Math.Abs(actual.RunningMean[j] - mean[j]) <= 1e-5 + (1e-4 * Math.Abs(mean[j])), $"{l.Name} running_mean[{j}]: {actual.RunningMean[j]} vs {mean[j]}");
                        Assert.True(Math.Abs(actual.RunningVar[j] - variance[j]) <= 1e-5 + (1e-4 * Math.Abs(variance[j])), $"{l.Name} running_var[{j}]: {actual.RunningVar[j]} vs {variance[j]}");
                    }
                    else if (Math.Abs(actual.RunningVar[j] - variance[j]) > 1e-5 + (1e-4 * Math.Abs(variance[j]))) mismatches++;
                }
            }
            if (!unbiased) Assert.True(mismatches > 0, "a reference with the biased variance matched the running variance");
        }
    }

    /// <summary>
    /// Inference (the reported loss of Model.Loss) normalises with the running statistics: it equals the reference
    /// with the running statistics and differs from the reference with the batch's statistics.
    /// </summary>
    [Fact]
    public void InferenceUsesTheRunningStatistics()
    {
        var (spec, data, inputs) = LargerDense(batches: 3, learningRate: 0.05f);
        using var model = new TestModel(spec, KernelsFor(spec, typeof(PlainSgd)));
        model.Train(data, new TrainingOptions { Epochs = 2 });
        var running = spec.Layers.Where(l => l.BatchNorm is not null).ToDictionary(l => l.Name, l =>
        {
            var s = model.GetBatchNorm(l.Name);
            return (s.RunningMean.Select(v => (double)v).ToArray(), s.RunningVar.Select(v => (double)v).ToArray());
        });
        var actual = model.Loss(data);
        var withRunning = Reference(spec, model, running).DataLoss(inputs);
        var withBatch = Reference(spec, model).DataLoss(inputs);
        Assert.True(Math.Abs(actual - withRunning) <= 1e-4 * Math.Max(1, Math.Abs(withRunning)), $"loss {actual} vs reference with running statistics {withRunning}");
        Assert.True(Math.Abs(actual - withBatch) > 10 * 1e-4 * Math.Max(1, Math.Abs(withRunning)), $"loss {actual} is also the batch-statistics loss {withBatch}: the test cannot tell them apart");
    }

    /// <summary>Early stopping's snapshot (restore the best epoch) carries γ, β, their state and the running statistics.</summary>
    [Fact]
    public void ASnapshotRestoresTheNormalisation()
    {
        var (spec, data, _) = LargerDense(batches: 2, learningRate: 0.05f);
        using var model = new TestModel(spec, KernelsFor(spec, typeof(RmsPropRule)), DeviceGroup.Cpu(2));
        model.Train(data, new TrainingOptions { Epochs = 1 });
        var snapshots = model.ShardBackends.Select(s => new DestinyDsl.Runtime.Engine.ShardSnapshot(s)).ToArray();
        foreach (var s in snapshots) s.Capture();
        var captured = model.GetBatchNorm("h1");
        var predicted = model.Predict(data).Data;
        model.Train(data, new TrainingOptions { Epochs = 1 });
        Assert.NotEqual(captured.RunningMean, model.GetBatchNorm("h1").RunningMean);
        foreach (var s in snapshots) s.Restore();
        var restored = model.GetBatchNorm("h1");
        Assert.Equal(captured.Weight, restored.Weight);
        Assert.Equal(captured.Bias, restored.Bias);
        Assert.Equal(captured.RunningMean, restored.RunningMean);
        Assert.Equal(captured.RunningVar, restored.RunningVar);
        Assert.Equal(predicted, model.Predict(data).Data);
    }

    [Fact]
    public void OneTwoAndThreeShardsTrainAlike()
    {
        var (spec, data, _) = LargerDense(batches: 4, learningRate: 0.05f, shuffle: true, dropout: 0.2f);
        var (losses1, weights1, norms1) = Train(spec, data, 1);
        foreach (var shards in new[] { 2, 3 })
        {
            var (losses, weights, norms) = Train(spec, data, shards);
            Assert.Equal(losses1.Count, losses.Count);
            for (var i = 0; i < losses1.Count; i++) Assert.True(Math.Abs(losses1[i] - losses[i]) <= 1e-5 * Math.Max(1, Math.Abs(losses1[i])), $"{shards} shards, step {i}: {losses[i]} vs {losses1[i]}");
            for (var i = 0; i < weights1.Length; i++) Assert.True(Math.Abs(weights1[i] - weights[i]) <= 1e-4, $"{shards} shards: weight {i} {weights[i]} vs {weights1[i]}");
            for (var i = 0; i < norms1.Length; i++) Assert.True(Math.Abs(norms1[i] - norms[i]) <= 1e-4 * Math.Max(1, Math.Abs(norms1[i])), $"{shards} shards: batch-norm value {i} {norms[i]} vs {norms1[i]}");
        }
    }

    private static (List<double> Losses, float[] Weights, float[] Norms) Train(NetworkSpec spec, NetworkData data, int shards)
    {
        using var model = new TestModel(spec, KernelsFor(spec, typeof(RmsPropRule)), DeviceGroup.Cpu(shards));
        var losses = new List<double>();
        model.Train(data, new TrainingOptions { Epochs = 3 }, new SynchronousProgress(p => losses.Add(p.Loss)));
        var weights = spec.Layers.Where(l => l.Kind != LayerKind.Input).SelectMany(l => l.Sources.SelectMany(s => model.GetWeights(l.Name, s).Data)).ToArray();
        var norms = spec.Layers.Where(l => l.BatchNorm is not null).SelectMany(l =>
        {
            var s = model.GetBatchNorm(l.Name);
            return s.Weight.Concat(s.Bias).Concat(s.RunningMean).Concat(s.RunningVar);
        }).ToArray();
        return (losses, weights, norms);
    }

    /// <summary>A dense network with a wide batch-normed layer (split by output columns) and a narrow one (by input rows on its consumer).</summary>
    internal static (NetworkSpec Spec, NetworkData Data, Dictionary<string, double[,]> Inputs) LargerDense(int batches, float learningRate, bool shuffle = false, float dropout = 0f)
    {
        const int batch = 8;
        var x = RandomDense(batch * batches, 9, 11, unitInterval: true);
        var spec = Network(
            new[]
            {
                Input("x", 9, sparse: false),
                Hidden("h1", 23, ActivationKind.Relu, new[] { "x" }, dropout: dropout, bias: 0.1f) with { BatchNorm = Norm },
                Hidden("h2", 5, ActivationKind.Tanh, new[] { "h1" }) with { BatchNorm = new BatchNormSpec() },
                Output("y", 9, ActivationKind.Sigmoid, new[] { "h2" }, "x", sparse: false),
            },
            new LossSpec(LossKind.CrossEntropy), new OptimizerSpec(OptimizerKind.Sgd, learningRate, Decay: 0.9f, Epsilon: 1e-4f), batch: batch, shuffle: shuffle);
        return (spec, new NetworkData().Add("x", x), new() { ["x"] = ToDouble(x) });
    }

    private static Dictionary<string, double[,]> Slice(Dictionary<string, double[,]> inputs, int start, int count) => inputs.ToDictionary(e => e.Key, e =>
    {
        var s = new double[count, e.Value.GetLength(1)];
        for (var r = 0; r < count; r++)
            for (var c = 0; c < s.GetLength(1); c++) s[r, c] = e.Value[start + r, c];
        return s;
    });
}
