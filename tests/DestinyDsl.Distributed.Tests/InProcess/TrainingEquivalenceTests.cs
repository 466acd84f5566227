using DestinyDsl.Distributed.Tests.Mpi;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests.InProcess;

/// <summary>The generated training networks on 2, 3 and 4 in-process shards give the single-device losses within 1e-5 relative.</summary>
public class TrainingEquivalenceTests
{
    public static TheoryData<string> Networks => new(TrainingScenario.Networks);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_shard_count_gives_the_single_device_losses(string network)
    {
        var reference = MpiTrainingTests.Losses(TrainingScenario.Run(network, DeviceGroup.Cpu(1)));
        foreach (var shards in new[] { 2, 3, 4 })
        {
            MpiTrainingTests.CompareLosses(reference, MpiTrainingTests.Losses(TrainingScenario.Run(network, DeviceGroup.Cpu(shards))), $"{network} on {shards} shards");
        }
    }
}
