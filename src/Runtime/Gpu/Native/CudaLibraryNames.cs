namespace DestinyDsl.Runtime.Gpu.Native;

/// <summary>
/// Which files to try for a library name that ILGPU or ILGPU.Algorithms asks .NET to load. Pure: the resolver and
/// the tests share it.
/// </summary>
/// <remarks>
/// ILGPU binds the driver as "cuda", which .NET probes as libcuda.so — a development symlink that driver-only systems
/// and containers lack; they have libcuda.so.1. ILGPU.Algorithms binds cuBLAS as libcublas.so.12/.11/.10, but CUDA 13
/// ships libcublas.so.13; the cuBLAS v2 entry points it calls (cublasCreate_v2, cublasSgemm_v2, …) are the same, so
/// any of them serves every requested version, newest first.
/// </remarks>
internal static class CudaLibraryNames
{
    private static readonly string[] LinuxDriver = ["libcuda.so.1", "libcuda.so"];
    private static readonly string[] WindowsDriver = ["nvcuda.dll"];
    private static readonly string[] LinuxCuBlas = ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so.10"];
    private static readonly string[] WindowsCuBlas = ["cublas64_13.dll", "cublas64_12.dll", "cublas64_11.dll", "cublas64_10.dll"];

    /// <summary>The library a requested name stands for, or null when the name is none of ours.</summary>
    public static CudaLibrary? Classify(string requestedName)
    {
        ArgumentNullException.ThrowIfNull(requestedName);
        var name = requestedName.Trim().ToLowerInvariant();
        if (name is "cuda" or "libcuda" or "libcuda.so" or "libcuda.so.1" or "nvcuda" or "nvcuda.dll") return CudaLibrary.Driver;
        // cuBLASLt is a different library with the same prefix.
        if ((name.StartsWith("libcublas", StringComparison.Ordinal) || name.StartsWith("cublas", StringComparison.Ordinal)) && !name.Contains("cublaslt", StringComparison.Ordinal))
        {
            return CudaLibrary.CuBlas;
        }
        return null;
    }

    /// <summary>The files to try, in order, for <paramref name="requestedName"/> on <paramref name="platform"/>; empty when the name is not ours or the platform has no known names (then .NET's default probing applies).</summary>
    public static IReadOnlyList<string> Candidates(string requestedName, NativePlatform platform)
        => Classify(requestedName) is { } library ? Candidates(library, platform) : [];

    /// <summary>The files to try, in order, for <paramref name="library"/> on <paramref name="platform"/>.</summary>
    public static IReadOnlyList<string> Candidates(CudaLibrary library, NativePlatform platform) => (library, platform) switch
    {
        (CudaLibrary.Driver, NativePlatform.Linux) => LinuxDriver,
        (CudaLibrary.Driver, NativePlatform.Windows) => WindowsDriver,
        (CudaLibrary.CuBlas, NativePlatform.Linux) => LinuxCuBlas,
        (CudaLibrary.CuBlas, NativePlatform.Windows) => WindowsCuBlas,
        _ => [],
    };
}
