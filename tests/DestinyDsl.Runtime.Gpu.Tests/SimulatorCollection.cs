namespace DestinyDsl.Runtime.Gpu.Tests;

/// <summary>
/// Tests that run simulated GPUs share one collection, so they do not run in parallel: each simulated thread is an
/// OS thread, and two simulations at once on 2 cores only slow each other down.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SimulatorCollection
{
    public const string Name = "GPU simulator";
}
