using DestinyDsl.Runtime.Gpu.Kernels;
using DestinyDsl.Runtime.Gpu.Ptx;
using ILGPU.Runtime.Cuda;

namespace DestinyDsl.Runtime.Gpu.Tests.Ptx;

/// <summary>
/// Every generated kernel of every network in this assembly (the model-parallel suite's networks; their module
/// initializers registered them) compiles to PTX for sm_80 (A100) and sm_90 (H100) with ILGPU's PTX backend — no GPU
/// needed — so a kernel the CUDA backend would reject fails here, not on the GPU machine.
/// </summary>
public class PtxCompilationTests
{
    public static TheoryData<string> Architectures => new("SM_80", "SM_90");

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_generated_kernel_compiles_to_ptx(string architecture)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(PtxCompilationTests).Module.ModuleHandle);
        var types = GpuKernelRegistry.RegisteredTypes.Where(t => t.Assembly == typeof(PtxCompilationTests).Assembly).ToArray();
        Assert.True(types.Length >= 8, $"expected the 8 networks of Training.dnet to register GPU kernels, found {types.Length}");
        using var compiler = new PtxCompiler(architecture == "SM_90" ? CudaArchitecture.SM_90 : CudaArchitecture.SM_80);
        var compiled = 0;
        foreach (var type in types)
        {
            foreach (var (name, kernel, grouped) in GpuKernelRegistry.Find(type)!.Kernels())
            {
                var ptx = compiler.Compile(kernel.Method, grouped);
                Assert.True(ptx.Contains(".entry", StringComparison.Ordinal), $"{type.Name} {name}: no .entry in the PTX");
                compiled++;
            }
        }
        Assert.True(compiled > 40, $"only {compiled} kernels compiled");
    }
}
