using DestinyDsl.Runtime.Gpu.Kernels.Library;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace DestinyDsl.Runtime.Gpu.Tests.Kernels;

/// <summary>
/// The simulator runs the kernels' .NET bodies, so it never exercises PTX generation: compile every library kernel
/// to PTX here (no GPU needed) so that a construct the PTX backend rejects fails a test, not the first GPU run.
/// </summary>
[Collection(SimulatorCollection.Name)]
public sealed class LibraryPtxTests(LibraryFixture fx)
{
    [Fact]
    public void EveryLibraryKernelCompilesToPtx()
    {
        using var backend = new PTXBackend(fx.Simulator.Context, new CudaCapabilityContext(CudaArchitecture.SM_80), CudaArchitecture.SM_80, CudaInstructionSet.ISA_80, null);
        foreach (var (method, explicitlyGrouped) in LibraryKernels.EntryPoints)
        {
            var entry = explicitlyGrouped ? EntryPointDescription.FromExplicitlyGroupedKernel(method) : EntryPointDescription.FromImplicitlyGroupedKernel(method);
            var compiled = (PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty);
            Assert.Contains(".entry", compiled.PTXAssembly);
            if (explicitlyGrouped)
            {
                Assert.Contains(".shared", compiled.PTXAssembly);
                Assert.Contains("bar.sync", compiled.PTXAssembly);
            }
        }
    }
}
