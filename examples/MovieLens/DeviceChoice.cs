using System.Globalization;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Gpu;

namespace Samples.MovieLens;

/// <summary>Turns the --devices argument into a device group.</summary>
internal static class DeviceChoice
{
    private const string Choices = "cpu, cpu:N, mpi, gpu, gpu:N, mpi+gpu, gpu-sim:N (N ≥ 1)";

    public static DeviceGroup Parse(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        return s switch
        {
            "cpu" => DeviceGroup.Cpu(),
            "mpi" => DeviceGroup.FromMpi(),
            "gpu" => DeviceGroup.Gpu(),
            "mpi+gpu" => DeviceGroup.FromMpi().OnGpu(),
            "gpu-sim" => DeviceGroup.GpuSimulator(),
            _ when Count(s, "cpu:") is { } n => DeviceGroup.Cpu(n),
            _ when Count(s, "gpu:") is { } n => DeviceGroup.Gpu(Enumerable.Range(0, n).ToArray()),
            _ when Count(s, "gpu-sim:") is { } n => DeviceGroup.GpuSimulator(n),
            _ => throw new ArgumentException($"--devices '{text}' is not one of: {Choices}."),
        };
    }

    private static int? Count(string s, string prefix)
        => s.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(s[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
