using System.Runtime.CompilerServices;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Failures that every shard of a group raises at the same point of the SPMD program, having agreed on them through a
/// collective (divergence, found on the all-reduced loss; a checkpoint error broadcast by the writer) or before any
/// collective from the same inputs. Nobody is left waiting, so they propagate as they are: the group is not aborted
/// and the exception is not wrapped in a <see cref="Distributed.ShardFailedException"/>.
/// </summary>
internal static class AgreedFailure
{
    private static readonly ConditionalWeakTable<Exception, object> Agreed = new();

    /// <summary>Marks <paramref name="failure"/> as agreed by every shard and returns it (for <c>throw</c>).</summary>
    public static T Mark<T>(T failure) where T : Exception
    {
        Agreed.AddOrUpdate(failure, Agreed);
        return failure;
    }

    public static bool Is(Exception failure) => Agreed.TryGetValue(failure, out _);
}
