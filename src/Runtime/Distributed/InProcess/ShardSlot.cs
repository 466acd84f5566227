using System.Runtime.InteropServices;

namespace DestinyDsl.Runtime.Distributed.InProcess;

/// <summary>
/// What one shard publishes when it enters a collective: the call and the addresses of its (pinned) buffers, so
/// peers copy straight from and to them. Written only by its owner before the rendezvous, read by everyone between
/// the rendezvous and the departure. One cache line per shard so owners do not false-share.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct ShardSlot
{
    /// <summary>The collective entered.</summary>
    [FieldOffset(0)] public CollectiveKind Kind;

    /// <summary>All-reduce: elements; broadcast: bytes; all-gather / reduce-scatter: sum of counts.</summary>
    [FieldOffset(4)] public int Length;

    /// <summary>All-reduce: the <see cref="ReductionOperation"/>; broadcast: the root.</summary>
    [FieldOffset(8)] public int Detail;

    /// <summary>Split: the color and key.</summary>
    [FieldOffset(12)] public int Color;

    [FieldOffset(16)] public int Key;

    /// <summary>The buffer peers use: all-gather local, reduce-scatter input, broadcast buffer (read); all-reduce buffer (read, then written).</summary>
    [FieldOffset(24)] public nint Source;

    /// <summary>All-gather / reduce-scatter: the caller's counts (int*), checked against rank 0's.</summary>
    [FieldOffset(32)] public nint Counts;
}
