using DestinyDsl.Runtime.Checkpoints.Safetensors;
using Xunit.Sdk;

namespace DestinyDsl.Distributed.Tests.Checkpoints;

/// <summary>Comparisons of checkpoint files and of the losses of continued runs.</summary>
internal static class CheckpointFiles
{
    /// <summary>160 rows in batches of 16 (<see cref="Worker.Scenarios.TrainingScenario"/>'s data).</summary>
    public const int StepsPerEpoch = 10;

    public static void AssertSameBytes(string expected, string actual, string what)
    {
        var a = File.ReadAllBytes(expected);
        var b = File.ReadAllBytes(actual);
        if (a.AsSpan().SequenceEqual(b)) return;
        var limit = Math.Min(a.Length, b.Length);
        var first = Enumerable.Range(0, limit).FirstOrDefault(i => a[i] != b[i], limit);
        throw new XunitException($"{what}: the files differ ({a.Length} vs {b.Length} bytes, first difference at byte {first})");
    }

    /// <summary>
    /// Same header (names, shapes, offsets, metadata: byte for byte) and every value within float rounding of a
    /// differently ordered sum: what two splits of one training give (their sums run in a different order).
    /// </summary>
    public static void AssertSameUpToRounding(string expected, string actual, string what)
    {
        var a = File.ReadAllBytes(expected);
        var b = File.ReadAllBytes(actual);
        var header = 8 + (int)BitConverter.ToUInt64(a, 0);
        if (a.Length != b.Length || !a.AsSpan(0, header).SequenceEqual(b.AsSpan(0, header)))
            throw new XunitException($"{what}: the headers differ");
        using var ra = SafetensorsFile.Open(expected);
        using var rb = SafetensorsFile.Open(actual);
        foreach (var tensor in ra.Tensors)
        {
            if (tensor.Dtype == SafetensorsDtype.I64)
            {
                // A counter (batch norm's num_batches_tracked): exact.
                var p = new long[tensor.ElementCount];
                var q = new long[tensor.ElementCount];
                ra.Read(tensor.Name, p);
                rb.Read(tensor.Name, q);
                if (!p.SequenceEqual(q)) throw new XunitException($"{what}: {tensor.Name} is {string.Join(",", q)}, expected {string.Join(",", p)}");
                continue;
            }
            var x = new float[tensor.ElementCount];
            var y = new float[tensor.ElementCount];
            ra.Read(tensor.Name, x);
            rb.Read(tensor.Name, y);
            var scale = Math.Max(1e-3, x.Max(v => Math.Abs((double)v)));
            for (var i = 0; i < x.Length; i++)
                if (Math.Abs(x[i] - (double)y[i]) > 1e-4 * scale)
                    throw new XunitException($"{what}: {tensor.Name}[{i}] is {y[i]:R}, expected {x[i]:R} (scale {scale:G3})");
        }
    }

    public static void CompareLosses(List<double> reference, List<double> actual, string what)
    {
        if (actual.Count != reference.Count) throw new XunitException($"{what}: {actual.Count} steps, expected {reference.Count}");
        for (var i = 0; i < reference.Count; i++)
            if (Math.Abs(actual[i] - reference[i]) > 1e-5 * Math.Abs(reference[i]))
                throw new XunitException($"{what}: step {i + 1} loss {actual[i]:R} vs {reference[i]:R}");
    }
}
