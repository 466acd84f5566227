using System.Globalization;
using DestinyDsl.Runtime.Distributed;

namespace Samples.MovieLens;

/// <summary>Turns the --devices argument into a device group.</summary>
internal static class DeviceChoice
{
    public static DeviceGroup Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "cpu" => DeviceGroup.Cpu(),
        "mpi" => DeviceGroup.FromMpi(),
        var s when s.StartsWith("cpu:", StringComparison.Ordinal) && int.TryParse(s[4..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            => DeviceGroup.Cpu(n),
        _ => throw new ArgumentException($"--devices '{text}' is not one of: cpu, cpu:N (N ≥ 1), mpi."),
    };
}
