using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Kernels;

namespace DestinyDsl.Benchmarks.HeadToHead;

/// <summary>
/// <c>--ab</c>: our step only, the old and new CPU paths (<see cref="CpuPaths"/>) alternating in one process, so a
/// neighbour's load hits every variant alike; prints each variant's median samples/s, its ratio to the old paths,
/// and (unless <c>--no-profile</c>) the phase table of the first and the last variant.
/// </summary>
internal static class PathComparison
{
    private sealed record Variant(string Name, bool FusedLoss, bool HugePages);

    private static readonly Variant[] Variants =
    {
        new("before: separate loss pass, 4 KiB pages", false, false),
        new("fused loss", true, false),
        new("huge pages", false, true),
        new("after: fused loss + huge pages", true, true),
    };

    public static void Run(HeadToHeadSettings s, SparseMatrix data, double peakGflops)
    {
        var runs = Variants.ToDictionary(v => v, _ => new List<double>());
        var cpu = Variants.ToDictionary(v => v, _ => new List<double>());
        for (var round = 1; round <= s.Rounds; round++)
        {
            Console.WriteLine($"round {round}/{s.Rounds}");
            // Rotate the order each round so that no variant always follows the same one.
            for (var i = 0; i < Variants.Length; i++)
            {
                var v = Variants[(i + round - 1) % Variants.Length];
                Select(v);
                GC.Collect();   // frees the previous model's pinned buffers (and their huge pages) first
                GC.WaitForPendingFinalizers();
                var samples = DotNetRunner.Run(s, data, profile: null);
                runs[v].Add(samples);
                cpu[v].Add(DotNetRunner.LastCpuMsPerStep);
                Console.WriteLine($"  {v.Name,-42} {samples,8:F1} samples/s, {DotNetRunner.LastCpuMsPerStep,6:F0} CPU-ms/step (huge pages in use: {DotNetRunner.LastAnonHugePagesMb} MB)");
            }
        }
        var flopsPerSample = StepFlops.PerSample(s.Items, 1024, 3);
        var baseline = Median(runs[Variants[0]]);
        var baselineCpu = Median(cpu[Variants[0]]);
        Console.WriteLine();
        Console.WriteLine($"FMA peak, {s.Threads} threads: {peakGflops:F0} GFLOP/s");
        Console.WriteLine("| variant | samples/s (median; runs) | % of FMA peak | / before | CPU-ms/step (median) | before / this |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var v in Variants)
        {
            var median = Median(runs[v]);
            Console.WriteLine($"| {v.Name} | {median:F1} ({string.Join(", ", runs[v].Select(r => r.ToString("F0")))}) | {100 * median * flopsPerSample / 1e9 / peakGflops:F1}% | {median / baseline:F3} | {Median(cpu[v]):F0} | {baselineCpu / Median(cpu[v]):F3} |");
        }
        if (!s.Profile) return;
        foreach (var v in new[] { Variants[0], Variants[^1] })
        {
            Console.WriteLine();
            Console.WriteLine($"{v.Name}:");
            Select(v);
            PhaseTable.Print(s, data, peakGflops);
        }
        Select(Variants[^1]);
    }

    private static void Select(Variant v)
    {
        CpuPaths.FusedOutputLoss = v.FusedLoss;
        CpuPaths.HugePages = v.HugePages;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
