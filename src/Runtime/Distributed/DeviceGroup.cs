namespace DestinyDsl.Runtime.Distributed;

/// <summary>
/// The devices a model runs on: P shards, each holding a slice of every layer (model parallelism).
/// CPU virtual devices live in one process; MPI ranks are one shard per process.
/// </summary>
public sealed class DeviceGroup
{
    private DeviceGroup(int shards, string description)
    {
        ShardCount = shards;
        Description = description;
    }

    /// <summary>Number of shards every layer is split into.</summary>
    public int ShardCount { get; }

    /// <summary>Human-readable description ("cpu", "cpu×4", "mpi 4 ranks (Open MPI)").</summary>
    public string Description { get; }

    /// <summary>True in the process that holds shard 0 (rank 0 under MPI): the one that should print and write files.</summary>
    public bool IsPrimary => true;

    /// <summary>The CPU, split into <paramref name="shards"/> virtual devices (1 = no splitting).</summary>
    public static DeviceGroup Cpu(int shards = 1)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "A device group needs at least one shard.");
        return new DeviceGroup(shards, shards == 1 ? "cpu" : $"cpu×{shards}");
    }

    /// <summary>One shard per MPI rank of <c>MPI_COMM_WORLD</c> (initialises MPI on first use).</summary>
    public static DeviceGroup FromMpi() => throw new NotImplementedException();

    /// <summary>
    /// Opens one communicator per shard that lives in this process (in-process group: all of them, ranks 0..P-1;
    /// MPI: this rank's), private to the caller (a model), so collectives of different models never mix.
    /// Collective under MPI: every rank calls it.
    /// </summary>
    public IReadOnlyList<ICommunicator> CreateShardCommunicators()
    {
        if (ShardCount == 1) return new ICommunicator[] { new SingleCommunicator() };
        throw new NotImplementedException();
    }
}
