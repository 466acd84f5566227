using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace DestinyDsl.Runtime.Gpu.Ptx;

/// <summary>
/// Compiles kernels to PTX without a GPU (ILGPU's PTX backend), so CI checks that every generated and library kernel
/// is something the CUDA backend accepts, and a user can read the PTX a network produces.
/// </summary>
public sealed class PtxCompiler : IDisposable
{
    private readonly Context _context;
    private readonly PTXBackend _backend;

    /// <summary>A compiler for <paramref name="architecture"/> (ILGPU emits at most ISA 8.x PTX; the driver JIT-compiles it for newer GPUs).</summary>
    public PtxCompiler(CudaArchitecture architecture)
    {
        _context = Context.Create(b => b.Optimize(OptimizationLevel.O2).EnableAlgorithms());
        _backend = new PTXBackend(_context, new CudaCapabilityContext(architecture), architecture, CudaInstructionSet.ISA_80, null);
        Architecture = architecture;
    }

    /// <summary>The target.</summary>
    public CudaArchitecture Architecture { get; }

    /// <summary>The PTX of a static kernel method.</summary>
    public string Compile(MethodInfo kernel, bool explicitlyGrouped)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var entry = explicitlyGrouped ? EntryPointDescription.FromExplicitlyGroupedKernel(kernel) : EntryPointDescription.FromImplicitlyGroupedKernel(kernel);
        var compiled = _backend.Compile(entry, KernelSpecialization.Empty);
        return ((PTXCompiledKernel)compiled).PTXAssembly;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _backend.Dispose();
        _context.Dispose();
    }
}
