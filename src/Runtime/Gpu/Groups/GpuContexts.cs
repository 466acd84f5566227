using DestinyDsl.Runtime.Gpu.Native;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace DestinyDsl.Runtime.Gpu;

/// <summary>
/// The process's ILGPU contexts, built once: CUDA (after the native-library resolver is installed, with optimisation
/// O2 and no debug assertions, whatever a debugger says) and the simulator (ILGPU's CPU accelerator, small: each
/// simulated thread is an OS thread).
/// </summary>
internal static class GpuContexts
{
    private static readonly Lazy<Context> Cuda = new(CreateCuda);
    private static readonly Lazy<Context> Simulator = new(() => Context.Create(b => b.CPU(new CPUDevice(4, 4, 1)).EnableAlgorithms().Optimize(OptimizationLevel.O1)));

    /// <summary>Every CUDA GPU of this host, in CUDA's order.</summary>
    public static IReadOnlyList<CudaDevice> CudaDevices()
    {
        var found = Cuda.Value.GetCudaDevices();
        var devices = new List<CudaDevice>(found.Count);
        foreach (var d in found) devices.Add(d);
        if (devices.Count == 0) throw CudaLibraries.NoCudaDevice();
        return devices;
    }

    /// <summary>CUDA GPU <paramref name="id"/>, without opening it; a one-line error naming the host's GPUs when there is none.</summary>
    public static CudaDevice CudaDevice(int id)
    {
        var devices = CudaDevices();
        if ((uint)id >= (uint)devices.Count)
            throw new GpuUnavailableException($"No CUDA GPU {id}: this host has {devices.Count} ({string.Join(", ", devices.Select((d, i) => $"{i}: {d.Name}"))}).");
        return devices[id];
    }

    /// <summary>Opens CUDA GPU <paramref name="id"/>.</summary>
    public static (Accelerator, string) OpenCuda(int id)
    {
        var device = CudaDevice(id);
        return (device.CreateAccelerator(Cuda.Value), $"cuda:{id} {device.Name}");
    }

    /// <summary>Opens a simulated GPU (a CPU accelerator of its own).</summary>
    public static (Accelerator, string) OpenSimulator(int index) => (Simulator.Value.CreateCPUAccelerator(0), $"gpu-sim:{index}");

    private static Context CreateCuda()
    {
        CudaLibraries.Install();
        return Context.Create(b => b.Cuda().EnableAlgorithms().Optimize(OptimizationLevel.O2));
    }
}
