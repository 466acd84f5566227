using System.Globalization;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Gpu.Tests.Kernels;
using Xunit.Sdk;

namespace DestinyDsl.Runtime.Gpu.Tests.Backend;

/// <summary>
/// The GPU backend (generated ILGPU kernels, the tiled product, the device schedule with host staging) on ILGPU's CPU
/// accelerator gives the CPU engine's per-step losses within 1e-4 relative, for the model-parallel suite's networks
/// (every optimizer, sparse and dense inputs, sigmoid and softmax outputs, skips, dropout, denoising, the sparseness
/// penalty, max-norm), on 1, 2 and 3 simulated GPUs (uneven splits: every width is odd).
/// </summary>
[Collection(SimulatorCollection.Name)]
public class SimulatorEquivalenceTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Networks => new(TrainingScenario.Networks);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Simulated_gpus_give_the_cpu_engines_losses(string network)
    {
        var reference = Losses(TrainingScenario.Run(network, DeviceGroup.Cpu(1)));
        Assert.Equal(TrainingScenario.Steps, reference.Count);
        foreach (var shards in new[] { 1, 2, 3 })
        {
            var actual = Losses(TrainingScenario.Run(network, DeviceGroup.GpuSimulator(shards)));
            Compare(reference, actual, $"{network} on {shards} simulated GPU(s)");
        }
    }

    internal static List<double> Losses(List<string> lines)
        => lines.Select(l => l.Split(' ')).Where(p => p[0] == "step").Select(p => double.Parse(p[3], CultureInfo.InvariantCulture)).ToList();

    internal static void Compare(List<double> reference, List<double> actual, string what)
    {
        if (actual.Count != reference.Count) throw new XunitException($"{what}: {actual.Count} steps reported, reference {reference.Count}");
        for (var i = 0; i < reference.Count; i++)
        {
            var relative = Math.Abs(actual[i] - reference[i]) / Math.Abs(reference[i]);
            if (!(relative <= Tolerance))
                throw new XunitException($"{what}: step {i + 1} loss {actual[i]:R} vs CPU {reference[i]:R} (relative {relative:E2})");
        }
    }
}
