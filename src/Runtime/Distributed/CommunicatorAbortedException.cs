namespace DestinyDsl.Runtime.Distributed;

/// <summary>
/// A collective could not complete because its group was aborted (<see cref="ICommunicator.Abort"/>): another shard
/// failed, or left the group. <see cref="Exception.InnerException"/> is the reason that shard gave.
/// </summary>
public sealed class CommunicatorAbortedException : Exception
{
    /// <summary>Creates the exception for a group aborted because of <paramref name="reason"/>.</summary>
    public CommunicatorAbortedException(Exception reason)
        : base($"The shard group was aborted, so this collective cannot complete: {reason.GetType().Name}: {reason.Message}", reason)
    {
    }
}
