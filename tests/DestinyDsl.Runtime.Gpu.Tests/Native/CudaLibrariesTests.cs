using System.Reflection;
using System.Runtime.Loader;
using DestinyDsl.Runtime.Gpu.Native;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.Cuda.API;

namespace DestinyDsl.Runtime.Gpu.Tests.Native;

/// <summary>The process-wide installation on a machine without CUDA.</summary>
public sealed class CudaLibrariesTests
{
    [Fact]
    public void InstallIsIdempotentAndACudaContextThenListsNoDevice()
    {
        CudaLibraries.Install();
        CudaLibraries.Install();
        using var context = Context.Create(b => b.Cuda());
        Assert.Empty(context.Devices.Where(d => d.AcceleratorType == AcceleratorType.Cuda));
        Assert.StartsWith("No CUDA GPU", CudaLibraries.NoCudaDevice().Message);
        // When ILGPU had not loaded the driver before (another test may have), the resolver saw the request.
        var driver = CudaLibraries.Probes.Where(p => p.Library == CudaLibrary.Driver).ToList();
        if (driver.Count > 0 && !driver[0].Loaded) Assert.Equal("libcuda.so.1", driver[0].File);
    }

    [Fact]
    public void CublasRequestsFromIlgpuAlgorithmsReachTheResolver()
    {
        if (!OperatingSystem.IsLinux()) return;
        CudaLibraries.Install();
        // ILGPU.Algorithms' internal CuBlasAPI.Create(null) tries its libcublas.so.12/.11/.10 bindings in turn; no GPU
        // is needed to see the requests arrive (it then fails, or succeeds where cuBLAS is installed).
        var api = typeof(CuBlas).Assembly.GetType("ILGPU.Runtime.Cuda.API.CuBlasAPI", throwOnError: true)!;
        var create = api.GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(CuBlasAPIVersion?)])!;
        try
        {
            create.Invoke(null, [null]);
        }
        catch (TargetInvocationException e) when (e.InnerException is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        var tried = CudaLibraries.Probes.Where(p => p.Library == CudaLibrary.CuBlas).ToList();
        Assert.NotEmpty(tried);
        Assert.Equal("libcublas.so.13", tried[0].File);
        Assert.StartsWith("tried libcublas.so.13 (", CudaLibraries.Describe(CudaLibrary.CuBlas));
    }

    [Fact]
    public void ASecondResolverOnOneAssemblyIsRefusedWithoutThrowing()
    {
        // A private copy of this test assembly in its own load context: the resolver set on it affects nothing else
        // (dynamic assemblies are refused by SetDllImportResolver).
        var context = new AssemblyLoadContext("resolver-probe", isCollectible: true);
        var assembly = context.LoadFromAssemblyPath(typeof(CudaLibrariesTests).Assembly.Location);
        var resolver = new CudaLibraryResolver(NativePlatform.Linux, _ => null);
        Assert.True(CudaLibraries.TryHook(assembly, resolver));
        Assert.False(CudaLibraries.TryHook(assembly, resolver));
    }
}
