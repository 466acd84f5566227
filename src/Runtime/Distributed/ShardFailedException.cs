namespace DestinyDsl.Runtime.Distributed;

/// <summary>
/// One shard of a model split over several shards (in-process threads or MPI ranks) failed: the message names the
/// shard (and, under MPI, the rank of the job) and the original error, which is the <see cref="Exception.InnerException"/>.
/// The other shards were stopped: in-process their collectives were aborted (they end with a
/// <see cref="CommunicatorAbortedException"/> that is not reported); under MPI the job is ended with <c>MPI_Abort</c>
/// after this exception is printed, because ranks blocked in an MPI collective cannot be released any other way.
/// </summary>
/// <remarks>
/// Failures every shard raises together at the same point (a <see cref="Training.TrainingDivergedException"/>, found
/// on the all-reduced loss; cancellation, agreed through it) are not wrapped: they are the same on every shard and
/// leave the model usable. After a <see cref="ShardFailedException"/> the model's communicators are aborted: dispose
/// the model, and continue from a checkpoint in a new one.
/// </remarks>
public sealed class ShardFailedException : Exception
{
    /// <summary>Creates the exception for shard <paramref name="shard"/> of <paramref name="shardCount"/>.</summary>
    /// <param name="location">Where the shard ran, e.g. "MPI rank 3 of 4"; null for in-process shards.</param>
    public ShardFailedException(int shard, int shardCount, string? location, Exception inner)
        : base($"Shard {shard} of {shardCount}{(location is null ? "" : $" ({location})")} failed: {inner.GetType().Name}: {inner.Message}", inner)
    {
        Shard = shard;
        ShardCount = shardCount;
    }

    /// <summary>The shard that failed (its rank in the model's group).</summary>
    public int Shard { get; }

    /// <summary>How many shards the model is split into.</summary>
    public int ShardCount { get; }
}
