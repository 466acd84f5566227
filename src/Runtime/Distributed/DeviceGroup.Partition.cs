using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Distributed.Mpi;

namespace DestinyDsl.Runtime.Distributed;

public sealed partial class DeviceGroup
{
    /// <summary>The group's MPI communicator (the world or a split of it); null for in-process groups.</summary>
    internal MpiCommunicator? MpiCommunicator => _mpi;

    /// <summary>
    /// Divides an in-process group into <paramref name="groups"/> smaller ones of consecutive shards, so several models
    /// (e.g. the concurrent trials of a study) each train on their own devices: <c>Gpu(0, 1, 2, 3).Partition(2)</c> gives
    /// GPUs 0–1 and 2–3; <c>Cpu(4).Partition(2)</c> two groups of 2 virtual CPU shards. When the shards do not divide
    /// evenly the first groups get one more. The parts share nothing: each makes its own communicators.
    /// </summary>
    /// <exception cref="InvalidOperationException">An MPI group: its ranks are divided with <see cref="Split"/>, which is collective.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="groups"/> is not 1..<see cref="ShardCount"/>.</exception>
    public IReadOnlyList<DeviceGroup> Partition(int groups)
    {
        if (_mpi is not null)
            throw new InvalidOperationException(
                $"Partition divides an in-process group; '{Description}' is an MPI group, whose ranks are divided with Split(color, key) (collective).");
        if (groups < 1 || groups > ShardCount)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"'{Description}' has {ShardCount} shard(s): it can be divided into 1..{ShardCount} groups.");
        var parts = new DeviceGroup[groups];
        var first = 0;
        for (var g = 0; g < groups; g++)
        {
            var shards = ShardCount / groups + (g < ShardCount % groups ? 1 : 0);
            var description = shards == 1 ? $"{Description} shard {first}" : $"{Description} shards {first}–{first + shards - 1}";
            parts[g] = new DeviceGroup(shards, description, mpi: null, new OffsetDeviceFactory(DeviceFactory, first));
            first += shards;
        }
        return parts;
    }

    // A part's shard i is the parent's shard offset + i: the GPU factory opens the parent's (offset + i)-th GPU.
    private sealed class OffsetDeviceFactory(IDeviceFactory parent, int offset) : IDeviceFactory
    {
        public IShardDevice Create(int shard, int localIndex, ModelDeviceRequest request) => parent.Create(offset + shard, offset + localIndex, request);
    }
}
