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

    /// <summary>Human-readable description ("cpu", "cpu×4", "mpi 4 ranks").</summary>
    public string Description { get; }

    /// <summary>The CPU, split into <paramref name="shards"/> virtual devices (1 = no splitting).</summary>
    public static DeviceGroup Cpu(int shards = 1)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "A device group needs at least one shard.");
        return new DeviceGroup(shards, shards == 1 ? "cpu" : $"cpu×{shards}");
    }
}
