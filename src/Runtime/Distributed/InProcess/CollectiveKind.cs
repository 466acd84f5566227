namespace DestinyDsl.Runtime.Distributed.InProcess;

/// <summary>Which collective a shard entered; published so every shard can check that all entered the same one.</summary>
internal enum CollectiveKind
{
    None = 0,
    Barrier,
    AllGather,
    ReduceScatter,
    AllReduceFloat,
    AllReduceDouble,
    Broadcast,
    Split,
    Gather,
    Scatter,
}
