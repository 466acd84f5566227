using System.Globalization;

namespace DestinyDsl.Benchmarks.HeadToHead;

/// <summary>Command-line settings of the harness.</summary>
internal sealed record HeadToHeadSettings(int Steps, int Warmup, int Rounds, int Keep, int Batch, int Items, int Threads, bool Dense, string Python, double PeakGflops, bool Profile, bool CompareCpuPaths)
{
    public static HeadToHeadSettings Parse(string[] args)
    {
        string? Get(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new HeadToHeadSettings(
            Steps: Int("--steps", 10),
            Warmup: Int("--warmup", 2),
            Rounds: Int("--rounds", 3),
            Keep: Math.Max(1, Int("--keep", 2)),
            Batch: 256,
            Items: Int("--items", 27278),
            Threads: Int("--threads", Environment.ProcessorCount),
            Dense: args.Contains("--dense"),
            Python: Get("--python") ?? "/usr/bin/python3",
            PeakGflops: Get("--peak-gflops") is { } p ? double.Parse(p, CultureInfo.InvariantCulture) : 0,
            Profile: !args.Contains("--no-profile"),
            CompareCpuPaths: args.Contains("--ab"));
    }
}

/// <summary>Floating-point work of one training step of the benchmark network (dense products only).</summary>
internal static class StepFlops
{
    // Per sample: each dense edge costs 2·in·out for forward, input delta and weight gradient (3 products);
    // the sparse input layer's gather/scatter is negligible next to them and is not counted.
    public static double PerSample(int items, int hidden, int hiddenLayers)
        => (3.0 * 2 * hidden * items) + ((hiddenLayers - 1) * 3.0 * 2 * hidden * hidden);
}
