namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>
/// A trial that threw on the ranks of a worker group; the message is the group's (the exception's type and message,
/// with the rank it happened on). The trial is recorded as failed and the study goes on.
/// </summary>
public sealed class TrialFailedOnGroupException(string message) : Exception(message);
