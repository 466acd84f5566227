using DestinyDsl.Runtime.Distributed.InProcess;
using DestinyDsl.Runtime.Distributed.Mpi;
using DestinyDsl.Runtime.Engine.Cpu;
using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Engine.Profiling;

namespace DestinyDsl.Runtime.Distributed;

/// <summary>
/// The devices a model runs on: P shards, each holding a slice of every layer (model parallelism).
/// CPU virtual devices live in one process; MPI ranks are one shard per process.
/// </summary>
/// <remarks>
/// Under MPI, <see cref="Split"/> and <see cref="CreateShardCommunicators"/> are collective over the group: every
/// rank of the group calls them, in the same order, from one thread at a time.
/// </remarks>
public sealed partial class DeviceGroup
{
    private static readonly int[] NoShards = [];

    // The group's MPI communicator (the world, or a split of it); null for CPU groups.
    private readonly MpiCommunicator? _mpi;

    private DeviceGroup(int shards, string description, MpiCommunicator? mpi, IDeviceFactory? devices = null)
    {
        ShardCount = shards;
        Description = description;
        _mpi = mpi;
        DeviceFactory = devices ?? CpuDeviceFactory.Instance;
    }

    /// <summary>Makes each local shard's device (the CPU unless a GPU group said otherwise).</summary>
    internal IDeviceFactory DeviceFactory { get; }

    /// <summary>The same shards and communicators computing on other devices (the GPU assembly's groups are made this way).</summary>
    internal DeviceGroup WithDevices(IDeviceFactory devices, string description) => new(ShardCount, description, _mpi, devices);

    /// <summary>A group of in-process shards that compute on the devices <paramref name="devices"/> makes.</summary>
    internal static DeviceGroup InProcess(int shards, IDeviceFactory devices, string description)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "A device group needs at least one shard.");
        return new DeviceGroup(shards, description, mpi: null, devices);
    }

    /// <summary>This process's rank among the ranks on its machine (0 without MPI): the GPU an MPI rank takes.</summary>
    internal int LocalRank => _mpi is null ? 0 : LocalRanks.LocalRank();

    /// <summary>Number of shards every layer is split into.</summary>
    public int ShardCount { get; }

    /// <summary>Human-readable description ("cpu", "cpu×4", "mpi 4 ranks (Open MPI 4.1.4)").</summary>
    public string Description { get; }

    /// <summary>True in the process that holds shard 0 (rank 0 under MPI): the one that should print and write files.</summary>
    /// <remarks>Rank 0 of <c>MPI_COMM_WORLD</c>, also for groups made by <see cref="Split"/>; see <see cref="IsGroupPrimary"/>.</remarks>
    public bool IsPrimary => _mpi is null || _mpi.Session.WorldRank == 0;

    /// <summary>True in the process that holds shard 0 of this group (for a split group: the group's own rank 0).</summary>
    public bool IsGroupPrimary => _mpi is null || _mpi.Rank == 0;

    /// <summary>True when the shards are MPI ranks.</summary>
    public bool UsesMpi => _mpi is not null;

    /// <summary>The shards that live in this process: all of them for CPU groups, this rank's for MPI.</summary>
    public IReadOnlyList<int> LocalShards => _mpi is null ? Enumerable.Range(0, ShardCount).ToArray() : new[] { _mpi.Rank };

    /// <summary>The CPU, split into <paramref name="shards"/> virtual devices (1 = no splitting).</summary>
    public static DeviceGroup Cpu(int shards = 1)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "A device group needs at least one shard.");
        return new DeviceGroup(shards, shards == 1 ? "cpu" : $"cpu×{shards}", mpi: null);
    }

    /// <summary>
    /// One shard per MPI rank of <c>MPI_COMM_WORLD</c> (initialises MPI on first use). Sets the kernels' thread count to
    /// this machine's cores divided by the ranks the launcher put on it (set <c>KernelThreads.Count</c> afterwards to override).
    /// </summary>
    /// <exception cref="MpiException">No MPI library, a library that does not match the launcher, or an MPI error.</exception>
    public static DeviceGroup FromMpi()
    {
        var session = MpiJob.Start();
        // Ranks on one machine share its cores: without this each would start a thread per core and oversubscribe.
        Kernels.Threading.KernelThreads.Count = LocalRanks.KernelThreadsPerRank();
        var world = new MpiCommunicator(session, session.Api.CommWorld, ownsHandle: false);
        return new DeviceGroup(world.Size, $"mpi {Ranks(world.Size)} ({session.Version})", world);
    }

    /// <summary>
    /// Carves the group into smaller ones (<c>MPI_Comm_split</c>): ranks passing the same <paramref name="color"/> (≥ 0)
    /// form a new group, ordered by <paramref name="key"/> (ties by rank), so one MPI job trains several models at once
    /// (e.g. 16 ranks = 4 models × 4-way model parallelism). Collective under MPI. A CPU group lives in one process,
    /// where every shard necessarily has the same color, so it splits into an identical CPU group.
    /// </summary>
    public DeviceGroup Split(int color, int key)
    {
        CollectiveArguments.Color(color);
        if (_mpi is null) return new DeviceGroup(ShardCount, Description, mpi: null, DeviceFactory);
        var part = _mpi.SplitCommunicator(color, key);
        return new DeviceGroup(part.Size,
            $"mpi {Ranks(part.Size)} of {_mpi.Session.WorldSize} ({_mpi.Session.Version}), color {color}", part, DeviceFactory);
    }

    /// <summary>
    /// The same group, recording every device call's wall time into <paramref name="profile"/> (per operation and
    /// layer) so a step's time can be broken down by phase. Results are unchanged, bit for bit; the cost is two clock
    /// reads per device call. On a GPU the calls return once queued: the profile then measures launches.
    /// </summary>
    public DeviceGroup Profiled(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return WithDevices(new ProfilingDeviceFactory(DeviceFactory, profile), $"{Description} (profiled)");
    }

    /// <summary>
    /// Opens one communicator per shard that lives in this process (in-process group: all of them, ranks 0..P-1;
    /// MPI: this rank's), private to the caller (a model), so collectives of different models never mix.
    /// Collective under MPI: every rank calls it.
    /// </summary>
    /// <remarks>
    /// In-process: a fresh group of P communicators; shard r must use element r from its own thread, and a failing
    /// shard calls <see cref="ICommunicator.Abort"/> so the others' collectives throw instead of waiting.
    /// MPI: an <c>MPI_Comm_dup</c> of the group's communicator. Dispose the communicators when the model is done.
    /// </remarks>
    public IReadOnlyList<ICommunicator> CreateShardCommunicators()
    {
        if (_mpi is not null) return ShardCount == 1 ? new ICommunicator[] { new SingleCommunicator() } : new ICommunicator[] { _mpi.Duplicate() };
        if (ShardCount == 1) return new ICommunicator[] { new SingleCommunicator() };
        return new SharedMemoryGroup(ShardCount).Communicators;
    }

    /// <inheritdoc/>
    public override string ToString() => Description;

    private static string Ranks(int count) => count == 1 ? "1 rank" : $"{count} ranks";
}
