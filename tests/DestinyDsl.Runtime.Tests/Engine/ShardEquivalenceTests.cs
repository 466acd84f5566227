using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// Model parallelism in one process: the same network, data and seed on 1, 2, 3 and 4 shards give the same
/// per-step losses (within float rounding) and the same trained weights; traffic matches the analytic formula.
/// </summary>
public sealed class ShardEquivalenceTests
{
    private const int Steps = 20;

    public static TheoryData<string> Networks => new(Cases.Keys);

    private static readonly Dictionary<string, Func<(NetworkSpec Spec, Type Rule, NetworkData Data)>> Cases = new()
    {
        ["sparse autoencoder, sigmoid + smce, rmsprop, dropout, denoising"] = () =>
        {
            var spec = Network(
                new[] { Input("items", 37, sparse: true), Hidden("h1", 9, ActivationKind.Sigmoid, new[] { "items" }, dropout: 0.2f), Output("scores", 37, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) },
                new LossSpec(LossKind.ScaledMarginalCrossEntropy, 1f, 0f, 1f, 1f), new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f),
                batch: 10, shuffle: true, denoising: 0.2f, sparsenessBeta: 0.5f);
            return (spec, typeof(RmsPropRule), new NetworkData().Add("items", RandomSparse(100, 37, 6, 1)));
        },
        ["softmax output + cross entropy, skip connections, analog values"] = () =>
        {
            var spec = Network(
                new[]
                {
                    Input("items", 23, sparse: true),
                    Hidden("h1", 11, ActivationKind.Relu, new[] { "items" }),
                    Hidden("h2", 7, ActivationKind.Tanh, new[] { "h1" }),
                    Hidden("h3", 13, ActivationKind.Sigmoid, new[] { "h2", "h1" }),
                    Output("scores", 23, ActivationKind.Softmax, new[] { "h3" }, "items", sparse: true),
                },
                new LossSpec(LossKind.CrossEntropy), new OptimizerSpec(OptimizerKind.Sgd, 0.05f), batch: 10, shuffle: true);
            return (spec, typeof(PlainSgd), new NetworkData().Add("items", RandomSparse(100, 23, 5, 2, values: true)));
        },
        ["example weights, sparse autoencoder (delta fused into the product), rmsprop, dropout"] = () =>
        {
            var spec = Network(
                new[] { Input("items", 37, sparse: true), Hidden("h1", 9, ActivationKind.Sigmoid, new[] { "items" }, dropout: 0.2f), Output("scores", 37, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) },
                new LossSpec(LossKind.ScaledMarginalCrossEntropy, 1f, 0f, 1f, 1f), new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f),
                batch: 10, shuffle: true);
            return (spec, typeof(RmsPropRule), new NetworkData().Add("items", RandomSparse(100, 37, 6, 1)).WithExampleWeights(Weights(100, 11)));
        },
        ["example weights, softmax + cross entropy (separate delta pass), analog values"] = () =>
        {
            var spec = Network(
                new[] { Input("items", 23, sparse: true), Hidden("h1", 11, ActivationKind.Relu, new[] { "items" }), Output("scores", 23, ActivationKind.Softmax, new[] { "h1" }, "items", sparse: true) },
                new LossSpec(LossKind.CrossEntropy), new OptimizerSpec(OptimizerKind.Sgd, 0.05f), batch: 10, shuffle: true);
            return (spec, typeof(PlainSgd), new NetworkData().Add("items", RandomSparse(100, 23, 5, 2, values: true)).WithExampleWeights(Weights(100, 12)));
        },
        ["example weights, dense input and targets, wide hidden"] = () =>
        {
            var spec = Network(
                new[] { Input("x", 6, sparse: false), Hidden("h", 29, ActivationKind.Tanh, new[] { "x" }), Output("y", 6, ActivationKind.Sigmoid, new[] { "h" }, "x", sparse: false) },
                new LossSpec(LossKind.CrossEntropy), new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f), batch: 10, shuffle: true);
            return (spec, typeof(RmsPropRule), new NetworkData().Add("x", RandomDense(100, 6, 4, unitInterval: true)).WithExampleWeights(Weights(100, 13)));
        },
        ["cosine learning-rate schedule after a one-epoch warm-up, rmsprop"] = () =>
        {
            var schedule = new LearningRateScheduleSpec(ScheduleKind.Cosine, Epochs: 1, MinFactor: 0.2f, WarmupEpochs: 1, WarmupStart: 0.3f);
            var spec = Network(
                new[] { Input("items", 29, sparse: true), Hidden("h1", 11, ActivationKind.Tanh, new[] { "items" }), Output("scores", 29, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) },
                new LossSpec(LossKind.CrossEntropy), new OptimizerSpec(OptimizerKind.RmsProp, 0.02f, Decay: 0.9f, Schedule: schedule), batch: 10, shuffle: true);
            return (spec, typeof(RmsPropRule), new NetworkData().Add("items", RandomSparse(100, 29, 6, 4)));
        },
        ["dense input, max norm, wide hidden (split by output columns)"] = () =>
        {
            var spec = Network(
                new[]
                {
                    Input("x", 6, sparse: false, dropout: 0.1f),
                    Hidden("h", 29, ActivationKind.Selu, new[] { "x" }, maxNorm: 0.8f),
                    Output("y", 6, ActivationKind.Sigmoid, new[] { "h" }, "x", sparse: false),
                },
                new LossSpec(LossKind.CrossEntropy), new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f), batch: 10, shuffle: true);
            return (spec, typeof(RmsPropRule), new NetworkData().Add("x", RandomDense(100, 6, 4, unitInterval: true)));
        },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void EveryShardCountGivesTheSingleDeviceLosses(string name)
    {
        var (spec, rule, data) = Cases[name]();
        var single = Run(spec, rule, data, 1, out var singleWeights);
        foreach (var shards in new[] { 2, 3, 4 })
        {
            var sharded = Run(spec, rule, data, shards, out var shardedWeights);
            Assert.Equal(single.Count, sharded.Count);
            for (var i = 0; i < single.Count; i++)
            {
                var tolerance = 1e-5 * Math.Max(1, Math.Abs(single[i]));
                Assert.True(Math.Abs(single[i] - sharded[i]) <= tolerance, $"{name}, {shards} shards, step {i}: {sharded[i]} vs {single[i]}");
            }
            for (var i = 0; i < singleWeights.Length; i++) Assert.True(Math.Abs(singleWeights[i] - shardedWeights[i]) <= 1e-4, $"{name}, {shards} shards: output weight {i}");
        }
    }

    [Fact]
    public void ThreeLayerAutoencoderTrafficMatchesTheFormula()
    {
        const int batch = 16, hidden = 12;
        foreach (var shards in new[] { 2, 3, 4 })
        {
            foreach (var items in new[] { 40, 400 })
            {
                var spec = Network(
                    new[] { Input("items", items, sparse: true), Hidden("h1", hidden, ActivationKind.Sigmoid, new[] { "items" }), Output("scores", items, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) },
                    new LossSpec(LossKind.ScaledMarginalCrossEntropy), batch: batch);
                using var model = new TestModel(spec, KernelsFor(spec, typeof(PlainSgd)), DeviceGroup.Cpu(shards));
                var moved = new List<CommunicationTraffic>();
                model.Train(new NetworkData().Add("items", RandomSparse(batch * 3, items, 5, 8)), new TrainingOptions { Epochs = 1 }, new SynchronousProgress(p => moved.Add(p.Traffic)));
                // Two gathers and two reduce-scatters of B×H floats: 4 (P−1)/P · B·H·4 bytes, whatever the width;
                // plus the loss all-reduce of 2 doubles: 2 (P−1)/P · 16.
                var fraction = (double)(shards - 1) / shards;
                Assert.Equal(3, moved.Count);
                Assert.All(moved, t =>
                {
                    Assert.Equal(2 * fraction * batch * hidden * 4, t.AllGather, 0);
                    Assert.Equal(2 * fraction * batch * hidden * 4, t.ReduceScatter, 0);
                    Assert.Equal(2 * fraction * 16, t.AllReduce, 0);
                    Assert.Equal(0, t.Broadcast);
                    Assert.Equal((4 * fraction * batch * hidden * 4) + (2 * fraction * 16), t.Total, 0);
                });
            }
        }
    }

    /// <summary>Example weights in [0, 3), every fifth one 0.</summary>
    private static float[] Weights(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(r => r % 5 == 0 ? 0f : (float)(random.NextDouble() * 3)).ToArray();
    }

    private static List<double> Run(NetworkSpec spec, Type rule, NetworkData data, int shards, out float[] outputWeights)
    {
        using var model = new TestModel(spec, KernelsFor(spec, rule), DeviceGroup.Cpu(shards));
        var losses = new List<double>();
        model.Train(data, new TrainingOptions { Epochs = 2 }, new SynchronousProgress(p => losses.Add(p.Loss)));
        var output = spec.Layers[^1];
        outputWeights = model.GetWeights(output.Name, output.Sources[0]).Data;
        return losses.Take(Steps).ToList();
    }
}
