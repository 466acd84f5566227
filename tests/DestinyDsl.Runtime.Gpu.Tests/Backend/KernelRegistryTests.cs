using DestinyDsl.Distributed.Worker.Networks;
using DestinyDsl.Runtime.Gpu.Kernels;

namespace DestinyDsl.Runtime.Gpu.Tests.Backend;

/// <summary>The registry hands a model the GPU kernels generated from its own network, and refuses stale ones.</summary>
public class KernelRegistryTests
{
    [Fact]
    public void Kernels_are_found_by_model_type_and_network_hash()
    {
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(SparseSgd).Module.ModuleHandle);
        Assert.NotNull(GpuKernelRegistry.Find(typeof(SparseSgd), SparseSgd.NetworkHash));
        Assert.Null(GpuKernelRegistry.Find(typeof(KernelRegistryTests), "any"));
    }

    [Fact]
    public void Kernels_generated_from_another_version_of_the_network_are_an_error()
    {
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(SparseSgd).Module.ModuleHandle);
        var error = Assert.Throws<InvalidOperationException>(() => GpuKernelRegistry.Find(typeof(SparseSgd), "0000000000000000"));
        Assert.Contains("rebuild", error.Message);
        Assert.Contains(SparseSgd.NetworkHash, error.Message);
    }
}
