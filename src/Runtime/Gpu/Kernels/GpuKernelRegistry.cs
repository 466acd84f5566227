using System.Collections.Concurrent;

namespace DestinyDsl.Runtime.Gpu.Kernels;

/// <summary>
/// Where generated code registers each network's GPU kernels (from a module initializer, when the project that
/// defines the network references this assembly), keyed by the generated model type.
/// </summary>
public static class GpuKernelRegistry
{
    private static readonly ConcurrentDictionary<Type, Entry> Entries = new();

    /// <summary>Registers the kernels of <paramref name="modelType"/> (the generated class), built on first use.</summary>
    public static void Register(Type modelType, string networkHash, Func<GpuKernelSet> create)
    {
        ArgumentNullException.ThrowIfNull(modelType);
        ArgumentNullException.ThrowIfNull(create);
        Entries[modelType] = new Entry(networkHash, new Lazy<GpuKernelSet>(create));
    }

    /// <summary>The kernels of <paramref name="modelType"/>, or null when none were generated for it.</summary>
    public static GpuKernelSet? Find(Type modelType)
        => Entries.TryGetValue(modelType ?? throw new ArgumentNullException(nameof(modelType)), out var e) ? e.Kernels.Value : null;

    /// <summary>Every registered model type (the networks of the assemblies loaded so far).</summary>
    public static IReadOnlyList<Type> RegisteredTypes => Entries.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();

    private sealed record Entry(string NetworkHash, Lazy<GpuKernelSet> Kernels);
}
