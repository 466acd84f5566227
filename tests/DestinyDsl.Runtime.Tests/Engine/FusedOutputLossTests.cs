using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Tests.Kernels;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// The training loss summed in the output product's epilogue (<see cref="CpuPaths.FusedOutputLoss"/>) is bit for bit
/// the loss of the separate pass, for one and two kernel threads and for a blocking that cuts the loss chunks.
/// </summary>
/// <remarks>Isolated: it flips a process-wide switch (harmless to others, whose results it cannot change, but kept apart).</remarks>
[Collection(IsolatedCollection.Name)]
public sealed class FusedOutputLossTests
{
    // 600 outputs: two whole 256-column chunks and a ragged one.
    private const int Width = 600;

    public static TheoryData<string> Cases => new() { "sparse targets", "dense targets, weighted examples" };

    private static (NetworkSpec Spec, NetworkData Data) Case(string name) => name == "sparse targets"
        ? (Network(
                new[] { Input("items", Width, sparse: true), Hidden("h1", 24, ActivationKind.Sigmoid, new[] { "items" }), Output("scores", Width, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) },
                new LossSpec(LossKind.ScaledMarginalCrossEntropy, 1f, 0f, 1f, 1f), new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f), batch: 32, shuffle: true),
            new NetworkData().Add("items", RandomSparse(96, Width, 30, 5)))
        : (Network(
                new[] { Input("x", Width, sparse: false), Hidden("h", 24, ActivationKind.Tanh, new[] { "x" }), Output("y", Width, ActivationKind.Sigmoid, new[] { "h" }, "x", sparse: false) },
                new LossSpec(LossKind.L2), new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f), batch: 32, shuffle: true),
            new NetworkData().Add("x", RandomDense(96, Width, 6, unitInterval: true)).WithExampleWeights(Enumerable.Range(0, 96).Select(i => 0.5f + (i % 7 / 7f)).ToArray()));

    private static (List<double> Losses, float[] Weights) Train(string name, int threads, bool fused, bool smallBlocks)
    {
        var (spec, data) = Case(name);
        var losses = new List<double>();
        float[] weights = Array.Empty<float>();
        var before = CpuPaths.FusedOutputLoss;
        CpuPaths.FusedOutputLoss = fused;
        try
        {
            KernelTestData.With(KernelTestData.Widths[0], threads, smallBlocks, () =>
            {
                using var model = new TestModel(spec, KernelsFor(spec, typeof(RmsPropRule)));
                model.Train(data, new TrainingOptions { Epochs = 2 }, new SynchronousProgress(p => losses.Add(p.Loss)));
                var output = spec.Layers[^1];
                weights = model.GetWeights(output.Name, output.Sources[0]).Data;
            });
        }
        finally
        {
            CpuPaths.FusedOutputLoss = before;
        }
        return (losses, weights);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheFusedLossIsTheSeparatePassBitForBitOnOneAndTwoThreads(string name)
    {
        var (expected, weights) = Train(name, threads: 1, fused: false, smallBlocks: false);
        Assert.Equal(6, expected.Count);
        foreach (var (threads, fused, small) in new[] { (1, true, false), (2, true, false), (2, false, false), (2, true, true), (1, true, true) })
        {
            var (losses, w) = Train(name, threads, fused, small);
            Assert.True(expected.SequenceEqual(losses), $"{threads} thread(s), fused {fused}, small blocks {small}: losses [{string.Join(", ", losses)}], expected [{string.Join(", ", expected)}]");
            KernelTestData.AssertBitwiseEqual(weights, w, $"output weights, {threads} thread(s), fused {fused}, small blocks {small}");
        }
    }
}
