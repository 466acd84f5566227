using System.Runtime.InteropServices;

namespace DestinyDsl.Runtime.Gpu.Native;

/// <summary>The operating systems whose CUDA library names differ.</summary>
public enum NativePlatform
{
    /// <summary>Linux (SONAMEs such as libcuda.so.1).</summary>
    Linux,

    /// <summary>Windows (nvcuda.dll, cublas64_NN.dll).</summary>
    Windows,

    /// <summary>macOS: no current CUDA; names are left to .NET's default probing.</summary>
    MacOS,

    /// <summary>Anything else: left to .NET's default probing.</summary>
    Other,
}

/// <summary>Detects the running <see cref="NativePlatform"/>.</summary>
internal static class NativePlatforms
{
    /// <summary>The platform this process runs on.</summary>
    public static NativePlatform Current { get; } =
        OperatingSystem.IsLinux() ? NativePlatform.Linux
        : OperatingSystem.IsWindows() ? NativePlatform.Windows
        : OperatingSystem.IsMacOS() ? NativePlatform.MacOS
        : NativePlatform.Other;

    /// <summary>
    /// True under the Windows Subsystem for Linux, with the same test as ILGPU 1.5.3 (CudaContextExtensions:
    /// "microsoft" in /proc/version and /usr/lib/wsl/lib present).
    /// </summary>
    public static bool IsWsl()
    {
        try
        {
            return RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
                   && File.ReadAllText("/proc/version").Contains("microsoft", StringComparison.OrdinalIgnoreCase)
                   && Directory.Exists("/usr/lib/wsl/lib");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
