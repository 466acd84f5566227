using DestinyDsl.Distributed.Tests.Mpi;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Tests.Checkpoints;

/// <summary>
/// Checkpoints of models split over in-process shards: the file does not depend on the split (the same state gives
/// the same bytes on 1, 2 and 3 shards), and a checkpoint written on one split loads into another and trains on to
/// the uninterrupted run's losses.
/// </summary>
public sealed class ShardedCheckpointTests : IDisposable
{
    // One network per optimizer family: no state (plain SGD), one state tensor, two (Adam), skip connections, and
    // batch norm (γ and β with Adam's state, the running statistics, num_batches_tracked).
    public static TheoryData<string> Networks => new(["SparseSgd", "SparseRmsProp", "SparseAdam", "DenseSkip", "SparseBatchNorm"]);

    private readonly string _directory = Directory.CreateTempSubdirectory("destinydsl-sharded-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_same_state_gives_the_same_file_on_any_number_of_shards(string network)
    {
        foreach (var writer in new[] { 1, 3 })
        {
            var original = PathOf($"{network}-trained-on-{writer}.safetensors");
            CheckpointScenario.TrainAndSave(network, DeviceGroup.Cpu(writer), original, epochs: 1);
            foreach (var reader in new[] { 1, 2, 3 })
            {
                var again = PathOf($"{network}-{writer}-via-{reader}.safetensors");
                CheckpointScenario.LoadAndContinue(network, DeviceGroup.Cpu(reader), original, again, epochs: 0);
                CheckpointFiles.AssertSameBytes(original, again, $"{network}: written on {writer} shard(s), loaded into {reader} and saved again");
            }
        }
    }

    // Not byte for byte: a split model sums partial products in another order (forward reduce-scatter, backward
    // input delta), so its weights differ from one device's in the last bits (measured: every network here differs
    // after one epoch). The header (names, shapes, offsets, metadata) is identical.
    [Theory]
    [MemberData(nameof(Networks))]
    public void Training_on_any_number_of_shards_writes_the_one_device_file_up_to_float_rounding(string network)
    {
        var oneDevice = PathOf($"{network}-1.safetensors");
        CheckpointScenario.TrainAndSave(network, DeviceGroup.Cpu(1), oneDevice, epochs: 1);
        foreach (var shards in new[] { 2, 3 })
        {
            var split = PathOf($"{network}-{shards}.safetensors");
            CheckpointScenario.TrainAndSave(network, DeviceGroup.Cpu(shards), split, epochs: 1);
            CheckpointFiles.AssertSameUpToRounding(oneDevice, split, $"{network}: 1 device vs {shards} shards after the same training");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_three_shard_checkpoint_continues_on_two_shards_and_on_one_device_like_the_uninterrupted_run(string network)
    {
        // Uninterrupted: two epochs on 3 shards.
        var straight = MpiTrainingTests.Losses(CheckpointScenario.TrainAndSave(network, DeviceGroup.Cpu(3), PathOf("straight.safetensors"), epochs: 2));
        var first = CheckpointScenario.TrainAndSave(network, DeviceGroup.Cpu(3), PathOf("epoch1.safetensors"), epochs: 1);
        Assert.Equal(straight.Take(CheckpointFiles.StepsPerEpoch), MpiTrainingTests.Losses(first));
        foreach (var shards in new[] { 3, 2, 1 })
        {
            var resumed = CheckpointScenario.LoadAndContinue(network, DeviceGroup.Cpu(shards), PathOf("epoch1.safetensors"), null, epochs: 1);
            Assert.Equal($"loaded step {CheckpointFiles.StepsPerEpoch} epoch 1", resumed[0]);
            var losses = MpiTrainingTests.Losses(resumed);
            if (shards == 3) Assert.Equal(straight.Skip(CheckpointFiles.StepsPerEpoch), losses); // the same split continues bit for bit
            else CheckpointFiles.CompareLosses(straight.Skip(CheckpointFiles.StepsPerEpoch).ToList(), losses, $"{network}: 3-shard checkpoint continued on {shards}");
        }
    }
}
