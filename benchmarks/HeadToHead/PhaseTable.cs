using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Engine.Profiling;

namespace DestinyDsl.Benchmarks.HeadToHead;

/// <summary>One profiled run of our step, printed as a markdown table: each phase's share of the step and of the peak.</summary>
internal static class PhaseTable
{
    public static void Print(HeadToHeadSettings s, SparseMatrix data, double peakGflops)
    {
        var profile = new DeviceProfile();
        var samplesPerSecond = DotNetRunner.Run(s, data, profile);
        var stepMs = 1000.0 * s.Batch / samplesPerSecond;
        var phases = profile.Phases;
        Console.WriteLine($"phases of one step (profiled run: {samplesPerSecond:F1} samples/s, {stepMs:F1} ms a step, {s.Steps} steps):");
        Console.WriteLine();
        Console.WriteLine("| phase | calls/step | ms/step | % of step | GFLOP/s | % of peak |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var phase in phases)
        {
            var ms = 1000.0 * phase.Seconds / s.Steps;
            var flops = phase.Flops > 0 ? $"{phase.Gflops:F0} | {100 * phase.Gflops / peakGflops:F0}%" : " | ";
            Console.WriteLine($"| {phase.Name} | {(double)phase.Calls / s.Steps:0.#} | {ms:F2} | {100 * ms / stepMs:F1}% | {flops} |");
        }
        var outside = stepMs - (1000.0 * profile.TotalSeconds / s.Steps);
        Console.WriteLine($"| outside device calls (schedule, collectives, data) | | {outside:F2} | {100 * outside / stepMs:F1}% | | |");
        var productFlops = phases.Sum(p => p.Flops);
        var productSeconds = phases.Where(p => p.Flops > 0).Sum(p => p.Seconds);
        Console.WriteLine();
        Console.WriteLine($"dense products: {100 * productSeconds / (s.Steps * stepMs / 1000):F1}% of the step at {productFlops / productSeconds / 1e9:F0} GFLOP/s ({100 * productFlops / productSeconds / 1e9 / peakGflops:F0}% of peak)");
    }
}
