using DestinyDsl.Runtime.Gpu.Native;

namespace DestinyDsl.Runtime.Gpu.Tests.Native;

/// <summary>The candidate files for each requested name and platform.</summary>
public sealed class CudaLibraryNamesTests
{
    [Theory]
    [InlineData("cuda")]
    [InlineData("libcuda.so")]
    public void LinuxDriverPrefersTheSoname(string requested)
        => Assert.Equal(["libcuda.so.1", "libcuda.so"], CudaLibraryNames.Candidates(requested, NativePlatform.Linux));

    [Theory]
    [InlineData("libcublas.so.12")]
    [InlineData("libcublas.so.11")]
    [InlineData("libcublas.so.10")]
    public void LinuxCublasPrefers13ForEveryRequestedVersion(string requested)
        => Assert.Equal(["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so.10"], CudaLibraryNames.Candidates(requested, NativePlatform.Linux));

    [Fact]
    public void WindowsNames()
    {
        Assert.Equal(["nvcuda.dll"], CudaLibraryNames.Candidates("nvcuda", NativePlatform.Windows));
        Assert.Equal("cublas64_13.dll", CudaLibraryNames.Candidates("cublas64_12.dll", NativePlatform.Windows)[0]);
    }

    [Theory]
    [InlineData("libcublasLt.so.12")]
    [InlineData("libcufft.so.12")]
    [InlineData("libm.so.6")]
    public void OtherNamesAreNotOurs(string requested)
    {
        Assert.Null(CudaLibraryNames.Classify(requested));
        Assert.Empty(CudaLibraryNames.Candidates(requested, NativePlatform.Linux));
    }

    [Fact]
    public void PlatformsWithoutKnownNamesFallThrough() => Assert.Empty(CudaLibraryNames.Candidates("cuda", NativePlatform.MacOS));
}
