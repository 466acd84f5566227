namespace DestinyDsl.Runtime.Gpu.Native;

/// <summary>
/// No usable CUDA GPU, with a one-line message saying what was tried and what to do, e.g. "No CUDA GPU: tried
/// libcuda.so.1 (not found), libcuda.so (not found); install the NVIDIA driver or use --devices cpu".
/// </summary>
public sealed class GpuUnavailableException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public GpuUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and the failure behind it.</summary>
    public GpuUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The exception for "ILGPU found no CUDA device", worded from the driver probes.</summary>
    public static GpuUnavailableException NoCudaDevice(IReadOnlyList<LibraryProbe> probes)
        => new(NoCudaDeviceMessage(probes));

    /// <summary>
    /// The message: the driver files tried and their outcomes; or, when the driver loaded, that it reports no device;
    /// or, when nothing was recorded (the resolver was not consulted), a plain statement.
    /// </summary>
    public static string NoCudaDeviceMessage(IReadOnlyList<LibraryProbe> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var driver = probes.Where(p => p.Library == CudaLibrary.Driver).ToList();
        if (driver.FirstOrDefault(p => p.Loaded) is { } loaded)
        {
            return $"No CUDA GPU: the driver library {loaded.File} loaded but reports no usable device; check nvidia-smi or use --devices cpu";
        }
        if (driver.Count > 0)
        {
            return $"No CUDA GPU: tried {string.Join(", ", driver)}; install the NVIDIA driver or use --devices cpu";
        }
        return "No CUDA GPU found; install the NVIDIA driver or use --devices cpu";
    }
}
