using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine.Profiling;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// <see cref="DeviceGroup.Profiled"/>: the step breakdown the CPU benchmark reports. Profiling must not change a
/// single bit of training, and every product must land in its phase with its exact FLOP count.
/// </summary>
public sealed class DeviceProfileTests
{
    private const int Batch = 10, Rows = 40, Items = 37, Hidden = 9;

    private static NetworkSpec Spec() => Network(
        new[]
        {
            Input("items", Items, sparse: true),
            Hidden("h1", Hidden, ActivationKind.Sigmoid, new[] { "items" }),
            Hidden("h2", Hidden, ActivationKind.Tanh, new[] { "h1" }),
            Output("scores", Items, ActivationKind.Sigmoid, new[] { "h2" }, "items", sparse: true),
        },
        new LossSpec(LossKind.ScaledMarginalCrossEntropy, 1f, 0f, 1f, 1f), new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f),
        batch: Batch, shuffle: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ProfilingChangesNoBitOfTraining(int shards)
    {
        var data = new NetworkData().Add("items", RandomSparse(Rows, Items, 6, 3));
        var plain = Train(DeviceGroup.Cpu(shards), data, out var plainWeights);
        var profile = new DeviceProfile();
        var profiled = Train(DeviceGroup.Cpu(shards).Profiled(profile), data, out var profiledWeights);

        Assert.Equal(plain, profiled);
        Assert.Equal(plainWeights, profiledWeights);
        Assert.NotEmpty(profile.Phases);
    }

    [Fact]
    public void EveryProductIsCountedOnceWithItsFlops()
    {
        var profile = new DeviceProfile();
        var data = new NetworkData().Add("items", RandomSparse(Rows, Items, 6, 4));
        var losses = Train(DeviceGroup.Cpu().Profiled(profile), data, out _);
        var steps = losses.Count;
        Assert.Equal(Rows / Batch, steps);
        var phases = profile.Phases.ToDictionary(p => p.Name);

        // Forward: the sparse layer is a gather, h2 and the output are dense products with fused epilogues (the
        // output's with the loss delta); each runs once per step with 2·batch·n·k FLOPs.
        Assert.Equal(steps, phases["forward product + epilogue · h2"].Calls);
        Assert.Equal(steps * 2.0 * Batch * Hidden * Hidden, phases["forward product + epilogue · h2"].Flops);
        var output = phases.Values.Single(p => p.Name.StartsWith("forward product + epilogue", StringComparison.Ordinal) && p.Name.EndsWith("· scores", StringComparison.Ordinal));
        Assert.Equal(steps * 2.0 * Batch * Items * Hidden, output.Flops);
        Assert.Contains(phases.Keys, name => name.StartsWith("sparse gather", StringComparison.Ordinal) && name.EndsWith("· h1", StringComparison.Ordinal));

        // Backward: two dense weight gradients (h1→h2, h2→scores) and the sparse layer's row update.
        var gradients = phases.Values.Where(p => p.Name.StartsWith("weight gradient + update", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2 * steps, gradients.Sum(p => p.Calls));
        Assert.Equal(steps * 2.0 * Batch * ((Hidden * Hidden) + (Hidden * Items)), gradients.Sum(p => p.Flops));
        Assert.Equal(steps, phases["sparse weight gradient + update"].Calls);
        Assert.All(profile.Phases, p => Assert.True(p.Seconds >= 0 && p.Calls > 0, p.ToString()));

        profile.Reset();
        Assert.Empty(profile.Phases);
    }

    private static List<double> Train(DeviceGroup group, NetworkData data, out float[] outputWeights)
    {
        var spec = Spec();
        using var model = new TestModel(spec, KernelsFor(spec, typeof(RmsPropRule)), group);
        var losses = new List<double>();
        model.Train(data, new TrainingOptions { Epochs = 1 }, new SynchronousProgress(p => losses.Add(p.Loss)));
        outputWeights = model.GetWeights("scores", "h2").Data;
        return losses;
    }
}
