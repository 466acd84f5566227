using System.Globalization;
using DestinyDsl.Distributed.Tests.Checkpoints;
using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;
using Xunit.Sdk;
using static DestinyDsl.Distributed.Tests.Mpi.MpiJobAssertions;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>
/// Checkpoints of a model split over MPI ranks: rank 0 alone writes; the file is the one-device file (byte for byte
/// for the same state; up to float rounding after the same training, since the split sums in another order); files
/// move freely between one device and any rank count; and the ranks that do not write never receive whole tensors.
/// </summary>
public sealed class MpiCheckpointTests : IDisposable
{
    private const string Network = "SparseRmsProp";

    private readonly string _directory = Directory.CreateTempSubdirectory("destinydsl-mpi-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_checkpoints_are_one_device_checkpoints() => Checkpoints(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_checkpoints_are_one_device_checkpoints() => Checkpoints(Flavour.Mpich);

    /// <summary>Tied weights (DenseTied: two ties, both mirrored splits): each shared matrix is saved once, from its owner's blocks.</summary>
    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_tied_checkpoints_are_one_device_checkpoints() => Checkpoints(Flavour.OpenMpi, "DenseTied");

    [MpiFact(Flavour.Mpich)]
    public void Mpich_tied_checkpoints_are_one_device_checkpoints() => Checkpoints(Flavour.Mpich, "DenseTied");
    // Batch norm: γ and β with Adam's state, the running statistics (each rank holds its units'), num_batches_tracked.
    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_batch_norm_checkpoints_are_one_device_checkpoints() => Checkpoints(Flavour.OpenMpi, "SparseBatchNorm");

    [MpiFact(Flavour.Mpich)]
    public void Mpich_batch_norm_checkpoints_are_one_device_checkpoints() => Checkpoints(Flavour.Mpich, "SparseBatchNorm");

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_ranks_other_than_the_writer_move_only_their_own_blocks() => Traffic(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_ranks_other_than_the_writer_move_only_their_own_blocks() => Traffic(Flavour.Mpich);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_a_file_error_on_the_writer_fails_every_rank_alike() => Errors(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_a_file_error_on_the_writer_fails_every_rank_alike() => Errors(Flavour.Mpich);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_a_rank_failing_in_the_middle_of_a_save_ends_the_job_naming_itself() => FailingSave(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_a_rank_failing_in_the_middle_of_a_save_ends_the_job_naming_itself() => FailingSave(Flavour.Mpich);

    private void FailingSave(Flavour flavour)
    {
        // Rank 2 fails reading its fifth block: ranks 0 and 1 are then blocked in that tensor's gather.
        var path = PathOf("never.safetensors");
        var run = WorkerJob.Launch(flavour, 3, "ckpt-fault", ["2", "5", path]);
        EndedBecauseOf(run, "DestinyDsl.Runtime.Distributed.ShardFailedException: Shard 2 of 3 (MPI rank 2 of 3) failed: IOException: injected fault in shard 2's device at download 5");
        Assert.Contains("[rank 2/3] DestinyDsl: aborting the MPI job", run.Output);
        Assert.False(File.Exists(path), "no file may be written when a rank failed");
    }

    private void Errors(Flavour flavour)
    {
        // Another network's checkpoint (the hash differs), and a "directory" that is a file.
        var other = PathOf("other.safetensors");
        CheckpointScenario.TrainAndSave("SparseAdam", DeviceGroup.Cpu(1), other, epochs: 0);
        var blocker = PathOf("not-a-directory");
        File.WriteAllText(blocker, "");
        var arguments = new[] { Network, other, Path.Combine(blocker, "x.safetensors"), PathOf("good-on-3.safetensors") };
        var expected = CheckpointScenario.Errors(Network, DeviceGroup.Cpu(1), arguments[1], arguments[2], PathOf("good-on-1.safetensors"));
        Assert.StartsWith("load failed CheckpointFormatException: ", expected[0]);
        Assert.StartsWith("save failed IOException: ", expected[1]);
        var run = WorkerJob.Launch(flavour, 3, "ckpt-errors", arguments);
        Succeeded(run, 3);
        // Every rank fails the load with rank 0's very error, and the save with rank 0's (the others: naming rank 0).
        for (var rank = 0; rank < 3; rank++)
        {
            var lines = ScenarioLines(run, rank);
            Assert.Equal(expected[0], lines[0]);
            if (rank == 0) Assert.Equal(expected[1], lines[1]);
            else Assert.StartsWith($"save failed IOException: Rank 0 of 3 (the checkpoint writer) could not write {arguments[2]}: IOException: ", lines[1]);
            Assert.Equal("saved step 0", lines[2]);
        }
        // The group still works after both failures, and a fresh model's file is the one-device file.
        CheckpointFiles.AssertSameBytes(PathOf("good-on-1.safetensors"), arguments[3], $"a fresh model saved on one device and on 3 {flavour} ranks");
    }

    private void Checkpoints(Flavour flavour, string network = Network)
    {
        // One device: one epoch, saved; and the reference continuation of that file by one more epoch.
        var oneDevice = PathOf("one-device.safetensors");
        var trained = MpiTrainingTests.Losses(CheckpointScenario.TrainAndSave(network, DeviceGroup.Cpu(1), oneDevice, epochs: 1));
        var continued = MpiTrainingTests.Losses(CheckpointScenario.LoadAndContinue(network, DeviceGroup.Cpu(1), oneDevice, null, epochs: 1));

        foreach (var ranks in new[] { 2, 3 })
        {
            // Trained and saved on the ranks.
            var written = PathOf($"written-on-{ranks}.safetensors");
            var run = WorkerJob.Launch(flavour, ranks, "ckpt-save", [network, written, "1"]);
            Succeeded(run, ranks);
            for (var rank = 0; rank < ranks; rank++)
            {
                CheckpointFiles.CompareLosses(trained, MpiTrainingTests.Losses(ScenarioLines(run, rank)), $"rank {rank} of {ranks}");
                Assert.Contains($"saved step {CheckpointFiles.StepsPerEpoch} epoch 1", run.Lines(rank));
            }
            CheckpointFiles.AssertSameUpToRounding(oneDevice, written, $"one device vs {ranks} {flavour} ranks after the same training");
            // Written under MPI → one device: it loads, and saves the very same bytes.
            var again = PathOf($"written-on-{ranks}-saved-on-1.safetensors");
            CheckpointScenario.LoadAndContinue(network, DeviceGroup.Cpu(1), written, again, epochs: 0);
            CheckpointFiles.AssertSameBytes(written, again, $"written on {ranks} {flavour} ranks, loaded and saved on one device");
        }

        // Written on one device → 3 ranks: they load it, save the very same bytes, and train on like one device.
        var onRanks = PathOf("one-device-saved-on-3.safetensors");
        var load = WorkerJob.Launch(flavour, 3, "ckpt-load", [network, oneDevice, onRanks, "1"]);
        Succeeded(load, 3);
        CheckpointFiles.AssertSameBytes(oneDevice, onRanks, $"written on one device, loaded and saved on 3 {flavour} ranks");
        for (var rank = 0; rank < 3; rank++)
        {
            Assert.Equal($"loaded step {CheckpointFiles.StepsPerEpoch} epoch 1", ScenarioLines(load, rank)[0]);
            CheckpointFiles.CompareLosses(continued, MpiTrainingTests.Losses(ScenarioLines(load, rank)), $"one-device file continued on rank {rank} of 3");
        }

        // Written on 3 ranks → loaded on 2 ranks: the same bytes again.
        var across = PathOf("written-on-3-saved-on-2.safetensors");
        var reload = WorkerJob.Launch(flavour, 2, "ckpt-load", [network, PathOf("written-on-3.safetensors"), across, "0"]);
        Succeeded(reload, 2);
        CheckpointFiles.AssertSameBytes(PathOf("written-on-3.safetensors"), across, $"written on 3 {flavour} ranks, loaded and saved on 2");
    }

    private void Traffic(Flavour flavour)
    {
        const int ranks = 3;
        var run = WorkerJob.Launch(flavour, ranks, "ckpt-traffic", ["20000", PathOf("traffic.safetensors")]);
        Succeeded(run, ranks);
        long modelBytes = 0;
        for (var rank = 0; rank < ranks; rank++)
        {
            var lines = ScenarioLines(run, rank);
            var sizes = Fields(lines.Single(l => l.StartsWith("bytes ", StringComparison.Ordinal)));
            var save = Fields(lines.Single(l => l.StartsWith("save ", StringComparison.Ordinal)));
            var load = Fields(lines.Single(l => l.StartsWith("load ", StringComparison.Ordinal)));
            long shard = sizes["shard"], model = modelBytes = sizes["model"];
            var context = $"rank {rank} of {ranks} ({flavour}), shard {shard} B of a {model} B model\n{run}";
            // Nothing is all-gathered or reduced; the broadcasts are the writer's two 32-byte outcome headers.
            foreach (var moved in new[] { save, load })
            {
                Check(moved["allgather"] == 0 && moved["reducescatter"] == 0 && moved["allreduce"] == 0, "no all-gather, reduce-scatter or all-reduce", context);
                Check(moved["broadcast"] == RingTraffic.Broadcast(ranks, 32), $"broadcast {moved["broadcast"]} B: one outcome header", context);
            }
            if (rank == 0)
            {
                Check(save["gather"] == 0 && save["scatter"] == 0 && load["gather"] == 0, "the writer sends nothing when saving", context);
                Check(load["scatter"] == model - shard, $"the writer sends every other rank's blocks when loading: {load["scatter"]} B", context);
                continue;
            }
            // A non-writer sends exactly its blocks when saving and receives only them when loading ...
            Check(save["gather"] == shard && save["scatter"] == 0, $"save sent {save["gather"]} B, its blocks are {shard} B", context);
            Check(load["gather"] == 0 && load["scatter"] == 0, "load: the non-writer sends nothing", context);
            // ... and never holds a whole tensor: it allocates about its own blocks, far below the model
            // (an all-gather would allocate the model's bytes at least twice: gathered and reassembled).
            foreach (var (what, moved) in new[] { ("save", save), ("load", load) })
                Check(moved["allocated"] < shard + (model / 10), $"{what} allocated {moved["allocated"]} B (bound: its blocks + a tenth of the model)", context);
        }
        Assert.True(modelBytes > 3_000_000, $"the model is {modelBytes} B: too small to tell blocks from whole tensors");
    }

    private static Dictionary<string, long> Fields(string line)
        => line.Split(' ').Skip(1).Select(f => f.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));

    private static void Check(bool condition, string what, string context)
    {
        if (!condition) throw new XunitException($"{what}\n{context}");
    }
}
