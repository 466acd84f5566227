namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>
/// What one device has allocated, against an optional budget (<see cref="GpuOptions.MemoryBudget"/>): parameters,
/// optimizer state and one or two batches live on the device, the training data stays in host memory. A model that
/// does not fit fails at construction with what it needed, not with an out-of-memory error mid-training.
/// </summary>
internal sealed class DeviceMemory(string device, long? budget)
{
    private long _used;

    /// <summary>Bytes allocated now.</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>The most bytes allocated at once.</summary>
    public long Peak { get; private set; }

    /// <summary>Accounts for <paramref name="bytes"/> about to be allocated for <paramref name="what"/>; throws when over budget.</summary>
    public void Reserve(long bytes, string what)
    {
        var used = Interlocked.Add(ref _used, bytes);
        if (budget is { } limit && used > limit)
        {
            Interlocked.Add(ref _used, -bytes);
            throw new InvalidOperationException(
                $"{device}: {what} needs {Mib(bytes)} MiB but {Mib(used - bytes)} of the {Mib(limit)} MiB device-memory budget are in use; " +
                "use more GPUs (each holds a slice of every layer), a smaller batch, or a larger budget.");
        }
        Peak = Math.Max(Peak, used);
    }

    /// <summary>Returns <paramref name="bytes"/> freed.</summary>
    public void Release(long bytes) => Interlocked.Add(ref _used, -bytes);

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
