namespace DestinyDsl.Runtime.Tests;

/// <summary>Tests that measure the process (allocations, timing-sensitive behaviour) and must not run beside others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedCollection
{
    public const string Name = "Isolated";
}
