using System.Globalization;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Gpu;
using DestinyDsl.Runtime.Gpu.Native;
using ILGPU.Runtime;

namespace DestinyDsl.Benchmarks.Gpu;

/// <summary>
/// <c>--devices</c>: every CUDA GPU (<c>gpu</c>), the first N (<c>gpu:N</c>), or N simulated GPUs (<c>gpu-sim:N</c>,
/// ILGPU's CPU accelerator: how this program is tested on a machine without a GPU).
/// </summary>
/// <param name="Simulated">True for the simulator.</param>
/// <param name="Requested">How many devices were asked for; 0 = every GPU of the host.</param>
internal sealed record DeviceChoice(bool Simulated, int Requested)
{
    public static DeviceChoice Parse(string text)
    {
        static int Count(string text, string value)
            => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1
                ? n
                : throw new UsageException($"--devices {text}: expected gpu, gpu:N or gpu-sim:N with N ≥ 1");
        return text switch
        {
            "gpu" => new DeviceChoice(false, 0),
            "gpu-sim" => new DeviceChoice(true, 1),
            _ when text.StartsWith("gpu-sim:", StringComparison.Ordinal) => new DeviceChoice(true, Count(text, text["gpu-sim:".Length..])),
            _ when text.StartsWith("gpu:", StringComparison.Ordinal) => new DeviceChoice(false, Count(text, text["gpu:".Length..])),
            _ => throw new UsageException($"--devices {text}: expected gpu, gpu:N or gpu-sim:N"),
        };
    }

    /// <summary>How many devices the choice stands for: asks CUDA unless simulated (GpuUnavailableException without enough GPUs).</summary>
    public int Count()
    {
        if (Simulated) return Requested;
        var available = GpuContexts.CudaDevices().Count;
        if (Requested > available)
            throw new GpuUnavailableException($"--devices {this}: this host has {available} CUDA GPU{(available == 1 ? "" : "s")}.");
        return Requested > 0 ? Requested : available;
    }

    /// <summary>A group of the first <paramref name="shards"/> devices (the simulator has no TF32: it ignores the options).</summary>
    public DeviceGroup Group(int shards, GpuOptions options)
        => Simulated ? DeviceGroup.GpuSimulator(shards) : DeviceGroup.Gpu(options, Enumerable.Range(0, shards).ToArray());

    /// <summary>Device 0 as a bare accelerator, for timing products, kernels and copies outside a model.</summary>
    public (Accelerator Accelerator, string Name) OpenFirst() => Simulated ? GpuContexts.OpenSimulator(0) : GpuContexts.OpenCuda(0);

    public override string ToString() => Simulated ? $"gpu-sim:{Requested}" : Requested == 0 ? "gpu" : $"gpu:{Requested}";
}
