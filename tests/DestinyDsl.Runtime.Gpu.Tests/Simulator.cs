using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace DestinyDsl.Runtime.Gpu.Tests;

/// <summary>
/// One ILGPU context with a small CPU accelerator for kernel tests: each simulated thread is an OS thread, so a
/// 2-core machine wants few of them (4 threads a warp, 4 warps a group, 1 multiprocessor).
/// </summary>
public sealed class Simulator : IDisposable
{
    public Simulator()
    {
        Context = Context.Create(b => b.CPU(new CPUDevice(4, 4, 1)).EnableAlgorithms());
        Accelerator = Context.CreateCPUAccelerator(0);
    }

    public Context Context { get; }

    public Accelerator Accelerator { get; }

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
