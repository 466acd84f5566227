using System.Globalization;
using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;
using Xunit.Sdk;
using static DestinyDsl.Distributed.Tests.Mpi.MpiJobAssertions;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>
/// Model-parallel training for real: each generated network of Networks/Training.dnet (every optimizer, sparse and
/// dense inputs, sigmoid and softmax outputs, skip connections) trained under mpirun on 2 and 4 ranks gives the
/// per-step losses of one device within 1e-5 relative, on every rank, for <see cref="TrainingScenario.Steps"/> steps.
/// </summary>
public class MpiTrainingTests
{
    public static TheoryData<string, int> Jobs()
    {
        var data = new TheoryData<string, int>();
        foreach (var network in TrainingScenario.Networks)
        {
            data.Add(network, 2);
            data.Add(network, 4);
        }
        return data;
    }

    [MpiTheory(Flavour.OpenMpi)]
    [MemberData(nameof(Jobs))]
    public void Open_mpi_training_gives_the_single_device_losses(string network, int ranks) => Train(Flavour.OpenMpi, network, ranks);

    [MpiTheory(Flavour.Mpich)]
    [MemberData(nameof(Jobs))]
    public void Mpich_training_gives_the_single_device_losses(string network, int ranks) => Train(Flavour.Mpich, network, ranks);

    private static void Train(Flavour flavour, string network, int ranks)
    {
        var reference = Losses(TrainingScenario.Run(network, DeviceGroup.Cpu(1)));
        var run = WorkerJob.Launch(flavour, ranks, "train", [network]);
        Succeeded(run, ranks);
        var rank0 = ScenarioLines(run, 0);
        for (var rank = 1; rank < ranks; rank++)
        {
            // The loss is all-reduced: every rank reports the same numbers.
            Assert.Equal(Losses(rank0), Losses(ScenarioLines(run, rank)));
        }
        CompareLosses(reference, Losses(rank0), $"{network} on {ranks} {flavour} ranks", run.ToString());
    }

    internal static List<double> Losses(List<string> lines)
        => lines.Select(l => l.Split(' ')).Where(p => p[0] == "step").Select(p => double.Parse(p[3], CultureInfo.InvariantCulture)).ToList();

    internal static void CompareLosses(List<double> reference, List<double> actual, string what, string context = "")
    {
        if (reference.Count != TrainingScenario.Steps || actual.Count != reference.Count)
            throw new XunitException($"{what}: {actual.Count} steps reported, reference {reference.Count}, expected {TrainingScenario.Steps}\n{context}");
        for (var i = 0; i < reference.Count; i++)
        {
            if (Math.Abs(actual[i] - reference[i]) > 1e-5 * Math.Abs(reference[i]))
                throw new XunitException($"{what}: step {i + 1} loss {actual[i]:R} vs one device {reference[i]:R} (relative {Math.Abs(actual[i] - reference[i]) / Math.Abs(reference[i]):E2})\n{context}");
        }
    }
}

/// <summary>
/// The Netflix "level 1": one MPI job of 4 ranks carved into 2 groups (one per region), each training its own
/// region's model 2-way model-parallel at the same time; each region's losses equal its one-device run.
/// </summary>
public class MpiRegionTests
{
    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_job_trains_one_model_per_region() => Regions(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_job_trains_one_model_per_region() => Regions(Flavour.Mpich);

    private static void Regions(Flavour flavour)
    {
        const int ranks = 4, regions = 2;
        var run = WorkerJob.Launch(flavour, ranks, "regions", ["SparseRmsProp", regions.ToString(CultureInfo.InvariantCulture)]);
        Succeeded(run, ranks);
        for (var region = 0; region < regions; region++)
        {
            var reference = MpiTrainingTests.Losses(TrainingScenario.Run("SparseRmsProp", DeviceGroup.Cpu(1), region));
            var prefix = $"region {region} ";
            var lines = ScenarioLines(run, region).Where(l => l.StartsWith(prefix + "step", StringComparison.Ordinal)).Select(l => l[prefix.Length..]).ToList();
            Assert.Contains($"region {region} shards 2 group-primary=True", run.Lines(region));
            MpiTrainingTests.CompareLosses(reference, MpiTrainingTests.Losses(lines), $"region {region}", run.ToString());
        }
        // The regions really trained different models on different data.
        Assert.NotEqual(MpiTrainingTests.Losses(TrainingScenario.Run("SparseRmsProp", DeviceGroup.Cpu(1), 0)), MpiTrainingTests.Losses(TrainingScenario.Run("SparseRmsProp", DeviceGroup.Cpu(1), 1)));
    }
}
