using DestinyDsl.Runtime.Gpu.Native;

namespace DestinyDsl.Runtime.Gpu.Tests.Native;

/// <summary>The resolver with a fake loader: which file wins, what is recorded, what the messages say.</summary>
public sealed class CudaLibraryResolverTests
{
    /// <summary>A loader that "finds" only the given files (handle = position + 1) and counts its calls.</summary>
    private sealed class FakeLoader(params string[] existing)
    {
        public int Calls { get; private set; }

        public IntPtr? TryLoad(string file)
        {
            Calls++;
            var at = Array.IndexOf(existing, file);
            return at < 0 ? null : at + 1;
        }
    }

    [Fact]
    public void DriverSonameIsChosenWhenOnlyItExists()
    {
        var loader = new FakeLoader("libcuda.so.1");
        var resolver = new CudaLibraryResolver(NativePlatform.Linux, loader.TryLoad);
        Assert.Equal((IntPtr)1, resolver.Resolve("cuda"));
        Assert.Equal([new LibraryProbe(CudaLibrary.Driver, "libcuda.so.1", true)], resolver.Probes);
    }

    [Fact]
    public void DevSymlinkIsTheFallback()
    {
        var resolver = new CudaLibraryResolver(NativePlatform.Linux, new FakeLoader("libcuda.so").TryLoad);
        Assert.Equal((IntPtr)1, resolver.Resolve("cuda"));
        Assert.Equal(["libcuda.so.1 (not found)", "libcuda.so (loaded)"], resolver.Probes.Select(p => p.ToString()));
    }

    [Fact]
    public void Cublas13IsPreferredAndServesEveryRequestedVersion()
    {
        var loader = new FakeLoader("libcublas.so.12", "libcublas.so.13");
        var resolver = new CudaLibraryResolver(NativePlatform.Linux, loader.TryLoad);
        Assert.Equal((IntPtr)2, resolver.Resolve("libcublas.so.12"));
        Assert.Equal((IntPtr)2, resolver.Resolve("libcublas.so.11"));
        Assert.Equal([new LibraryProbe(CudaLibrary.CuBlas, "libcublas.so.13", true)], resolver.Probes);
        Assert.Equal(1, loader.Calls);
    }

    [Fact]
    public void EveryFileTriedIsReportedWithItsOutcome()
    {
        var resolver = new CudaLibraryResolver(NativePlatform.Linux, new FakeLoader("libcublas.so.11").TryLoad);
        resolver.Resolve("libcublas.so.12");
        Assert.Equal(
            ["libcublas.so.13 (not found)", "libcublas.so.12 (not found)", "libcublas.so.11 (loaded)"],
            resolver.Probes.Select(p => p.ToString()));
    }

    [Fact]
    public void NothingFoundGivesTheOneLineMessageAndIsNotProbedAgain()
    {
        var loader = new FakeLoader();
        var resolver = new CudaLibraryResolver(NativePlatform.Linux, loader.TryLoad);
        Assert.Equal(IntPtr.Zero, resolver.Resolve("cuda"));
        Assert.Equal(IntPtr.Zero, resolver.Resolve("cuda"));
        Assert.Equal(2, loader.Calls);
        Assert.Equal(
            "No CUDA GPU: tried libcuda.so.1 (not found), libcuda.so (not found); install the NVIDIA driver or use --devices cpu",
            GpuUnavailableException.NoCudaDevice(resolver.Probes).Message);
    }

    [Fact]
    public void ALoadedDriverWithoutDevicesSaysSo()
    {
        var resolver = new CudaLibraryResolver(NativePlatform.Linux, new FakeLoader("libcuda.so.1").TryLoad);
        resolver.Resolve("cuda");
        Assert.Equal(
            "No CUDA GPU: the driver library libcuda.so.1 loaded but reports no usable device; check nvidia-smi or use --devices cpu",
            GpuUnavailableException.NoCudaDeviceMessage(resolver.Probes));
    }

    [Fact]
    public void NoProbesGivesAPlainMessage()
        => Assert.Equal("No CUDA GPU found; install the NVIDIA driver or use --devices cpu", GpuUnavailableException.NoCudaDeviceMessage([]));

    [Fact]
    public void NamesThatAreNotOursFallThroughWithoutLoading()
    {
        var loader = new FakeLoader("libm.so.6");
        var resolver = new CudaLibraryResolver(NativePlatform.Linux, loader.TryLoad);
        Assert.Equal(IntPtr.Zero, resolver.Resolve("libm.so.6"));
        Assert.Equal(0, loader.Calls);
        Assert.Empty(resolver.Probes);
    }
}
