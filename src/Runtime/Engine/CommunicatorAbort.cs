using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Runtime.Engine;

/// <summary>Stops the collectives of a failed shard group so no shard waits forever.</summary>
internal static class CommunicatorAbort
{
    /// <summary>Aborts every local shard's communicator with the failure that caused it (in-process: blocked collectives throw).</summary>
    public static void Abort(IReadOnlyList<ICommunicator> communicators, Exception cause)
    {
        foreach (var c in communicators)
        {
            c.Abort(cause);
        }
    }
}
