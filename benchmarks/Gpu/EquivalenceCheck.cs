using System.Diagnostics;
using System.Globalization;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Gpu;

namespace DestinyDsl.Benchmarks.Gpu;

/// <summary>
/// <c>check</c>: each network of the model-parallel suite (tests/DestinyDsl.Distributed.Worker/Networks/Training.dnet)
/// trained for <see cref="TrainingScenario.Steps"/> steps on one CPU shard and on the GPU group; every step's loss
/// must agree within <see cref="Tolerance"/> relative. One GPU always; with two or more, also the 2-way split (for
/// <c>gpu:N</c> / <c>gpu-sim:N</c>: the N-way split).
/// </summary>
internal static class EquivalenceCheck
{
    public const double Tolerance = 1e-4;

    public static CheckResult Run(Settings settings)
    {
        var available = settings.Devices.Count();
        var splits = new SortedSet<int> { 1 };
        if (available >= 2) splits.Add(settings.Devices.Requested == 0 ? 2 : available);
        var networks = settings.Networks ?? TrainingScenario.Networks;
        Console.WriteLine($"check: {networks.Count} networks × {TrainingScenario.Steps} steps, CPU (1 shard) vs {settings.Devices} on {string.Join(" and ", splits.Select(s => s == 1 ? "1 device" : $"{s} devices"))}, tolerance {Tolerance:0e0} relative");

        var rows = new List<CheckRow>();
        foreach (var network in networks)
        {
            List<double>? reference = null;
            string? referenceError = null;
            try
            {
                reference = Losses(TrainingScenario.Run(network, DeviceGroup.Cpu(1)));
            }
            catch (Exception e) when (Cli.Unavailable(e) is null)
            {
                referenceError = $"CPU reference failed: {OneLine(e)}";
            }
            foreach (var shards in splits)
            {
                var clock = Stopwatch.StartNew();
                CheckRow row;
                if (reference is null)
                {
                    row = new CheckRow(network, Describe(settings.Devices, shards), false, double.NaN, 0, referenceError, 0);
                }
                else
                {
                    try
                    {
                        var actual = Losses(TrainingScenario.Run(network, settings.Devices.Group(shards, GpuOptions.Default)));
                        row = Compare(network, Describe(settings.Devices, shards), reference, actual) with { Seconds = clock.Elapsed.TotalSeconds };
                    }
                    catch (Exception e) when (Cli.Unavailable(e) is null)
                    {
                        Console.Error.WriteLine(e);   // the whole trace for the log; the row keeps one line
                        row = new CheckRow(network, Describe(settings.Devices, shards), false, double.NaN, 0, OneLine(e), clock.Elapsed.TotalSeconds);
                    }
                }
                rows.Add(row);
                Console.WriteLine(row.Line());
            }
        }
        var passed = rows.All(r => r.Passed);
        Console.WriteLine($"check: {rows.Count(r => r.Passed)} of {rows.Count} passed");
        return new CheckResult(passed, Tolerance, rows);
    }

    private static string Describe(DeviceChoice devices, int shards)
        => devices.Simulated ? $"gpu-sim×{shards}" : shards == 1 ? "gpu:0" : $"gpu×{shards}";

    internal static List<double> Losses(List<string> lines)
        => lines.Select(l => l.Split(' ')).Where(p => p[0] == "step").Select(p => double.Parse(p[3], CultureInfo.InvariantCulture)).ToList();

    internal static CheckRow Compare(string network, string group, List<double> reference, List<double> actual)
    {
        if (actual.Count != reference.Count)
            return new CheckRow(network, group, false, double.NaN, actual.Count, $"{actual.Count} steps reported, CPU {reference.Count}", 0);
        var worst = 0.0;
        string? detail = null;
        for (var i = 0; i < reference.Count; i++)
        {
            var relative = Math.Abs(actual[i] - reference[i]) / Math.Abs(reference[i]);
            if (double.IsNaN(relative)) relative = actual[i] == reference[i] ? 0 : double.PositiveInfinity;
            worst = Math.Max(worst, relative);
            if (relative > Tolerance && detail is null)
                detail = $"first over at step {i + 1}: {actual[i].ToString("R", CultureInfo.InvariantCulture)} vs CPU {reference[i].ToString("R", CultureInfo.InvariantCulture)}";
        }
        return new CheckRow(network, group, worst <= Tolerance, worst, actual.Count, detail, 0);
    }

    private static string OneLine(Exception e) => $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
}

/// <summary>One network on one device group.</summary>
internal sealed record CheckRow(string Network, string Group, bool Passed, double MaxRelativeError, int Steps, string? Detail, double Seconds)
{
    public string Line()
        => $"{(Passed ? "PASS" : "FAIL")} {Network,-15} {MaxRelativeError.ToString("0.00E+00", CultureInfo.InvariantCulture),9}  {Group,-10} {Seconds,5:F1}s{(Detail is null ? "" : $"  {Detail}")}";
}

/// <summary>The whole check.</summary>
internal sealed record CheckResult(bool Passed, double Tolerance, IReadOnlyList<CheckRow> Rows);
