using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Tests.Engine;
using DestinyDsl.Runtime.Tests.Learning;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Reference;

/// <summary>
/// Networks compiled by the generator (their formulas, update rules and option mapping, not the hand-written test ops)
/// trained for two epochs of three steps against <see cref="ReferenceTrainer"/> in float64: every step's reported
/// loss and the final weights and biases. The hyperparameters the reference uses are written here from the .dnet
/// files. Also the reference with max-norm, denoising or weight decay switched off must be rejected: each has an
/// effect far above the tolerance, so an engine that ignored it could not pass.
/// </summary>
/// <remarks>
/// Tolerances: float32 rounding (ε = 6·10⁻⁸) in sums of ≤ 40 products of O(1) values is ≲ 3·10⁻⁶ relative per
/// gradient, and six updates with learning rates ≤ 0.05 move the weights by ≲ 0.1, so their error stays near 10⁻⁷
/// (measured: ≤ 2.1·10⁻⁷ absolute for weights and biases, ≤ 8·10⁻⁸ relative for the losses; each test prints its
/// own). The bounds, 2·10⁻⁶ absolute + 10⁻⁵ relative for parameters and 10⁻⁶ relative for losses, leave a margin of
/// about ten, and sit three orders of magnitude below the smallest change a missing regulariser makes (4·10⁻³).
/// </remarks>
public sealed class GeneratedNetworkReferenceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Rows = 24;
    private const int Items = 30;
    private const int Epochs = 2;

    private static SparseMatrix Items30() => RandomSparse(Rows, Items, 6, seed: 12);

    private static DenseMatrix Dense9() => RandomDense(Rows, 9, seed: 13, unitInterval: true);

    /// <summary>Each network on one device and on three shards (every split uneven), each against the reference.</summary>
    public static TheoryData<string, int> NetworksAndShards()
    {
        var data = new TheoryData<string, int>();
        foreach (var network in new[] { "SampleAutoencoder", "DenoisingMaxNorm", "DenseSkipSoftmax" })
            foreach (var shards in new[] { 1, 3 }) data.Add(network, shards);
        // Tied weights (Tied.dnet): one parameter, both gradients summed, one optimizer step; every split mirrored.
        foreach (var network in new[] { "TiedAutoencoder", "TiedDense", "TiedMaxNorm" })
            foreach (var shards in new[] { 1, 2, 3 }) data.Add(network, shards);
        return data;
    }

    private sealed record Case(Model Model, NetworkData Data, Dictionary<string, double[,]> Reference, ReferenceSettings Settings) : IDisposable
    {
        public void Dispose() => Model.Dispose();
    }

    private static Case Build(string network, int shards = 1)
    {
        var devices = Distributed.DeviceGroup.Cpu(shards);
        var items = Items30();
        switch (network)
        {
            case "SampleAutoencoder":
            {
                // Learning/Recommenders.dnet; shuffle off and batch 8 through the options (the reference visits rows in order).
                var model = new SampleAutoencoder(itemsWidth: Items, devices: devices);
                model.Options.Shuffle = false;
                model.Options.Batch = 8;
                return new Case(model, new NetworkData().Add("items", items), new() { ["items"] = Densify(items) },
                    new ReferenceSettings(new LossSpec(LossKind.ScaledMarginalCrossEntropy, 1, 0, 1, 1), OptimizerKind.Sgd, 0.025, MomentumForm: true, Momentum: 0.9,
                        Batch: 8, Seed: 12134, Denoising: 0.2, SparsenessP: 0.5, SparsenessBeta: 2));
            }
            case "DenoisingMaxNorm":
                return new Case(new DenoisingMaxNorm(itemsWidth: Items, devices: devices), new NetworkData().Add("items", items), new() { ["items"] = Densify(items) },
                    new ReferenceSettings(new LossSpec(LossKind.CrossEntropy), OptimizerKind.Adam, 0.01, Epsilon: 1e-4, WeightDecay: 0.02, L1Decay: 0.002,
                        Batch: 8, Seed: 41, Denoising: 0.3)
                    {
                        Dropout = new() { ["h1"] = 0.25f, ["h2"] = 0.2f },
                        MaxNorm = new() { ["h1"] = 0.6f },
                    });
            case "TiedAutoencoder":
                return new Case(new TiedAutoencoder(itemsWidth: Items, devices: devices), new NetworkData().Add("items", items), new() { ["items"] = Densify(items) },
                    new ReferenceSettings(new LossSpec(LossKind.CrossEntropy), OptimizerKind.Sgd, 0.2, MomentumForm: true, Momentum: 0.9, Batch: 8, Seed: 3, Denoising: 0.2)
                    {
                        Ties = new() { [("scores", "h1")] = ("h1", "items") },
                    });
            case "TiedMaxNorm":
                return new Case(new TiedMaxNorm(itemsWidth: Items, devices: devices), new NetworkData().Add("items", items), new() { ["items"] = Densify(items) },
                    new ReferenceSettings(new LossSpec(LossKind.CrossEntropy), OptimizerKind.Sgd, 0.2, MomentumForm: true, Momentum: 0.9, Batch: 8, Seed: 3, Denoising: 0.2)
                    {
                        Ties = new() { [("scores", "h1")] = ("h1", "items") },
                        MaxNorm = new() { ["h1"] = 0.6f },
                    });
            case "TiedDense":
            {
                var x = Dense9();
                return new Case(new TiedDense(devices: devices), new NetworkData().Add("x", x), new() { ["x"] = ToDouble(x) },
                    new ReferenceSettings(new LossSpec(LossKind.CrossEntropy), OptimizerKind.Adam, 0.01, Epsilon: 1e-4, WeightDecay: 0.02, Batch: 8, Seed: 9)
                    {
                        Ties = new() { [("h3", "h2")] = ("h2", "h1"), [("y", "h1")] = ("h1", "x") },
                    });
            }
            default:
            {
                var x = Dense9();
                return new Case(new DenseSkipSoftmax(devices: devices), new NetworkData().Add("x", x), new() { ["x"] = ToDouble(x) },
                    new ReferenceSettings(new LossSpec(LossKind.CrossEntropy), OptimizerKind.Nesterov, 0.05, Momentum: 0.9, WeightDecay: 0.01, Batch: 8, Seed: 5)
                    {
                        Dropout = new() { ["x"] = 0.2f },
                        MaxNorm = new() { ["h1"] = 1.1f },
                    });
            }
        }
    }

    [Theory]
    [MemberData(nameof(NetworksAndShards))]
    public void TwoEpochsOfTrainingMatchTheFloat64Reference(string network, int shards)
    {
        using var c = Build(network, shards);
        var engineLosses = new List<double>();
        var (w0, b0) = Parameters(c.Model);
        c.Model.Train(c.Data, new TrainingOptions { Epochs = Epochs }, new SynchronousProgress(p => engineLosses.Add(p.Loss)));
        var reference = Train(c, w0, b0, c.Settings);

        var problems = Compare(c.Model, engineLosses, reference, out var worst);
        output.WriteLine($"{network} on {shards} shard(s): {engineLosses.Count} steps; largest weight difference {worst.Weight:E2}, largest relative loss difference {worst.Loss:E2}; "
            + $"max-norm clipped {reference.ClippedColumns} columns; denoising dropped {reference.DenoisedDropped} of {reference.DenoisedSeen} non-zeros");
        Assert.True(problems.Count == 0, $"{network} on {shards} shard(s): {problems.Count} differences, first:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(8))}");
        // The regularisers under test acted (else matching would prove nothing about them).
        if (c.Settings.MaxNorm.Count > 0) Assert.True(reference.ClippedColumns > 0, "max-norm never clipped a column");
        if (c.Settings.Denoising > 0) Assert.True(reference.DenoisedDropped > 0 && reference.DenoisedDropped < reference.DenoisedSeen, $"denoising dropped {reference.DenoisedDropped} of {reference.DenoisedSeen}");
    }

    /// <summary>
    /// Negative controls: the same comparison rejects the reference without max-norm, without denoising, without
    /// weight decay (L2 and L1), with a wrong dropout rate — so each of these is really checked against the reference,
    /// not only between shard counts.
    /// </summary>
    [Theory]
    [InlineData("DenoisingMaxNorm", "no max_norm")]
    [InlineData("DenoisingMaxNorm", "no denoising")]
    [InlineData("DenoisingMaxNorm", "no weight decay")]
    [InlineData("DenoisingMaxNorm", "no l1 decay")]
    [InlineData("DenseSkipSoftmax", "no max_norm")]
    [InlineData("DenseSkipSoftmax", "no weight decay")]
    [InlineData("DenseSkipSoftmax", "input dropout 0.1 for 0.2")]
    [InlineData("SampleAutoencoder", "no denoising")]
    [InlineData("SampleAutoencoder", "no sparseness penalty")]
    [InlineData("TiedAutoencoder", "untied")]
    [InlineData("TiedDense", "untied")]
    [InlineData("TiedMaxNorm", "no max_norm")]
    public void TheComparisonRejectsAReferenceWithoutTheRegulariser(string network, string broken)
    {
        using var c = Build(network);
        var engineLosses = new List<double>();
        var (w0, b0) = Parameters(c.Model);
        c.Model.Train(c.Data, new TrainingOptions { Epochs = Epochs }, new SynchronousProgress(p => engineLosses.Add(p.Loss)));
        var s = broken switch
        {
            "no max_norm" => c.Settings with { MaxNorm = new() },
            "no denoising" => c.Settings with { Denoising = 0 },
            "no weight decay" => c.Settings with { WeightDecay = 0 },
            "no l1 decay" => c.Settings with { L1Decay = 0 },
            "no sparseness penalty" => c.Settings with { SparsenessBeta = 0 },
            "untied" => c.Settings with { Ties = new() },
            _ => c.Settings with { Dropout = new() { ["x"] = 0.1 } },
        };
        var reference = Train(c, w0, b0, s);
        var problems = Compare(c.Model, engineLosses, reference, out var worst);
        output.WriteLine($"{network} against a reference with {broken}: {problems.Count} differences, largest weight difference {worst.Weight:E2}");
        Assert.True(problems.Count > 0, $"{network}: a reference with {broken} matched the engine");
    }

    private static ReferenceTrainer Train(Case c, Dictionary<(string, string), double[,]> w0, Dictionary<string, double[]> b0, ReferenceSettings settings)
    {
        var trainer = new ReferenceTrainer(c.Model.Spec, settings,
            w0.ToDictionary(e => e.Key, e => (double[,])e.Value.Clone()), b0.ToDictionary(e => e.Key, e => (double[])e.Value.Clone()), c.Reference);
        trainer.Train(Epochs);
        return trainer;
    }

    private static List<string> Compare(Model model, List<double> engineLosses, ReferenceTrainer reference, out (double Weight, double Loss) worst)
    {
        var problems = new List<string>();
        worst = (0, 0);
        if (engineLosses.Count != reference.Losses.Count) problems.Add($"{engineLosses.Count} engine steps, {reference.Losses.Count} reference steps");
        for (var i = 0; i < Math.Min(engineLosses.Count, reference.Losses.Count); i++)
        {
            var relative = Math.Abs(engineLosses[i] - reference.Losses[i]) / Math.Abs(reference.Losses[i]);
            worst.Loss = Math.Max(worst.Loss, relative);
            if (relative > 1e-6) problems.Add($"step {i}: loss {engineLosses[i]:G8}, reference {reference.Losses[i]:G8}");
        }
        var (w, b) = Parameters(model);
        void Check(string what, double expected, double actual, ref (double Weight, double Loss) worstSoFar)
        {
            var d = Math.Abs(expected - actual);
            worstSoFar.Weight = Math.Max(worstSoFar.Weight, d);
            if (d > 2e-6 + (1e-5 * Math.Abs(expected))) problems.Add($"{what}: engine {actual:G8}, reference {expected:G8}");
        }
        foreach (var (key, expected) in reference.Weights)
            for (var i = 0; i < expected.GetLength(0); i++)
                for (var j = 0; j < expected.GetLength(1); j++) Check($"W {key.Item2}→{key.Item1} [{i},{j}]", expected[i, j], w[key][i, j], ref worst);
        foreach (var (layer, expected) in reference.Biases)
            for (var j = 0; j < expected.Length; j++) Check($"b {layer}[{j}]", expected[j], b[layer][j], ref worst);
        return problems;
    }
}
