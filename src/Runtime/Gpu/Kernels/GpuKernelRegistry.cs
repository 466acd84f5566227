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

    /// <summary>
    /// The kernels of <paramref name="modelType"/> when they were generated from the network whose hash is
    /// <paramref name="networkHash"/> (the spec the model runs); null when none were generated. Kernels of another
    /// version of the network (a stale build output next to a rebuilt model) are an error, not a silent mismatch.
    /// </summary>
    public static GpuKernelSet? Find(Type modelType, string networkHash)
    {
        if (!Entries.TryGetValue(modelType ?? throw new ArgumentNullException(nameof(modelType)), out var e)) return null;
        if (!string.Equals(e.NetworkHash, networkHash, StringComparison.Ordinal))
            throw new InvalidOperationException($"The GPU kernels registered for '{modelType.Name}' were generated from network hash {e.NetworkHash}, but the model is {networkHash}; rebuild the project that defines it.");
        return e.Kernels.Value;
    }

    /// <summary>Every registered model type (the networks of the assemblies loaded so far).</summary>
    public static IReadOnlyList<Type> RegisteredTypes => Entries.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();

    private sealed record Entry(string NetworkHash, Lazy<GpuKernelSet> Kernels);
}
