using System.Globalization;
using System.Text.Json;

namespace DestinyDsl.Benchmarks.Gpu;

/// <summary>
/// The summary tables (Markdown, to paste into docs/performance.md): samples/s against PyTorch eager and
/// torch.compile for FP32 and TF32, step / products, element-wise / copy bandwidth and the check, each with its target.
/// </summary>
internal static class Summary
{
    public const double EagerTarget = 2.0;
    public const double CompileTarget = 1.0;
    public const double StepOverProductsTarget = 1.25;
    public const double BandwidthTarget = 0.70;

    public static void Print(TextWriter w, Results ours, IReadOnlyList<PyTorchRun>? pytorch)
    {
        var inv = CultureInfo.InvariantCulture;
        var bench = ours.Bench;
        w.WriteLine(bench is null
            ? $"### DestinyDsl on {ours.Devices}"
            : $"### DestinyDsl on {bench.Runs.FirstOrDefault()?.Products?.Device ?? bench.Devices}: {bench.Network} ({bench.Widths}), batch {bench.Batch}, {bench.Steps} timed steps after {bench.Warmup} warm-up");
        w.WriteLine();
        if (bench is not null)
        {
            var products = bench.Runs.Select(r => r.Products?.Blas).FirstOrDefault(b => b is not null);
            var notes = new List<string>
            {
                $"Data: {bench.Rows} rows × {bench.Items} items, {bench.NonZeros} non-zeros (synthetic, seed {TrainingBench.Seed}, the head-to-head's generator), the same CSR file for both. Products: {products ?? "n/a"}. {bench.Shards} device(s), {ours.Framework}, {ours.Cores} host cores.",
            };
            if (pytorch?.FirstOrDefault(p => p.Framework is not null) is { } any) notes.Add($"PyTorch: {any.Framework} on {any.Device}.");
            if (bench.Devices.StartsWith("gpu-sim", StringComparison.Ordinal))
                notes.Add("(Simulated GPU: ILGPU's CPU accelerator. These timings test the harness, not the backend's speed; the verdicts mean nothing.)");
            foreach (var p in pytorch?.Where(p => p.Items is { } items && (items != bench.Items || p.Batch != bench.Batch)).Take(1) ?? [])
                notes.Add($"**Warning**: PyTorch ran {p.Items} items at batch {p.Batch}, DestinyDsl {bench.Items} at batch {bench.Batch}: not the same problem.");
            foreach (var note in notes)
            {
                w.WriteLine(note);
                w.WriteLine();
            }
            string Tflops(double samplesPerSecond) => bench.FlopsPerSample is { } f ? (samplesPerSecond * f / 1e12).ToString("F1", inv) : "";
            w.WriteLine("| configuration | samples/s | ms a step | TFLOP/s of products | DestinyDsl / it | target |");
            w.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
            var precisions = bench.Runs.Select(r => r.Precision).Concat(pytorch?.Select(p => p.Precision) ?? []).Distinct().OrderBy(p => p, StringComparer.Ordinal);
            foreach (var precision in precisions)
            {
                var run = bench.Runs.FirstOrDefault(r => r.Precision == precision);
                var upper = precision.ToUpperInvariant();
                w.WriteLine(run is null
                    ? $"| DestinyDsl {upper} | not run | | | | |"
                    : $"| DestinyDsl {upper} | {run.SamplesPerSecond.ToString("F0", inv)} | {run.StepMilliseconds.ToString("F3", inv)} | {Tflops(run.SamplesPerSecond)} | | |");
                if (pytorch is null) continue;
                foreach (var (mode, label, target) in new[] { ("eager", "PyTorch eager", EagerTarget), ("compile", "torch.compile", CompileTarget) })
                {
                    var theirs = pytorch.FirstOrDefault(p => p.Mode == mode && p.Precision == precision);
                    if (theirs?.SamplesPerSecond is not { } sps)
                    {
                        w.WriteLine($"| {label} {upper} | {(theirs?.Skipped ?? "not run").Replace("|", "/", StringComparison.Ordinal)} | | | | ≥ {target.ToString("0.##", inv)}× |");
                        continue;
                    }
                    var ratio = run is null ? (double?)null : run.SamplesPerSecond / sps;
                    w.WriteLine($"| {label} {upper} | {sps.ToString("F0", inv)} | {(theirs.StepMilliseconds ?? double.NaN).ToString("F3", inv)} | {Tflops(sps)} | {(ratio is { } x ? $"{x.ToString("F2", inv)}×" : "")} | ≥ {target.ToString("0.##", inv)}×{(ratio is { } r ? $": {Verdict(r >= target)}" : "")} |");
                }
            }
            w.WriteLine();
        }

        w.WriteLine("| measure | value | target |");
        w.WriteLine("| --- | --- | --- |");
        if (bench is not null)
        {
            foreach (var run in bench.Runs)
            {
                w.WriteLine(run.StepOverProducts is { } r
                    ? $"| step / products, {run.Precision.ToUpperInvariant()} | {r.ToString("F2", inv)}× ({run.StepMilliseconds.ToString("F3", inv)} / {run.ProductsMilliseconds!.Value.ToString("F3", inv)} ms; products {run.Products!.Tflops.ToString("F1", inv)} TFLOP/s) | ≤ {StepOverProductsTarget.ToString("F2", inv)}×: {Verdict(r <= StepOverProductsTarget)} |"
                    : $"| step / products, {run.Precision.ToUpperInvariant()} | not measured | ≤ {StepOverProductsTarget.ToString("F2", inv)}× |");
            }
            w.WriteLine(bench.Elementwise is { } e
                ? $"| element-wise / copy bandwidth | {(e.OfCopy * 100).ToString("F1", inv)}% ({e.GigabytesPerSecond.ToString("F0", inv)} / {e.CopyGigabytesPerSecond.ToString("F0", inv)} GB/s) | ≥ {BandwidthTarget * 100:F0}%: {Verdict(e.OfCopy >= BandwidthTarget)} |"
                : $"| element-wise / copy bandwidth | not measured | ≥ {BandwidthTarget * 100:F0}% |");
        }
        foreach (var failure in bench?.Failures ?? [])
            w.WriteLine($"| FAILED | {failure.Replace("|", "/", StringComparison.Ordinal)} | |");
        if (ours.Check is { } check)
        {
            var passed = check.Rows.Count(r => r.Passed);
            var worst = check.Rows.Where(r => r.Passed).Select(r => r.MaxRelativeError).DefaultIfEmpty(0).Max();
            w.WriteLine($"| CPU vs GPU losses ({string.Join(", ", check.Rows.Select(r => r.Group).Distinct())}) | {passed} of {check.Rows.Count} networks within {check.Tolerance.ToString("0e0", inv)} (worst passing {worst.ToString("0.0E+0", inv)}) | all: {Verdict(check.Passed)} |");
            foreach (var failed in check.Rows.Where(r => !r.Passed))
                w.WriteLine($"| FAIL {failed.Network} on {failed.Group} | {failed.MaxRelativeError.ToString("0.0E+0", inv)} {failed.Detail} | |");
        }
    }

    private static string Verdict(bool met) => met ? "met" : "**missed**";
}

/// <summary>One line of pytorch_gpu.py's output.</summary>
internal sealed record PyTorchRun(
    string Mode, string Precision, double? SamplesPerSecond, double? StepMilliseconds, string? Framework, string? Device, string? Skipped, int? Items, int? Batch)
{
    public static IReadOnlyList<PyTorchRun> ReadLines(string path)
    {
        var runs = new List<PyTorchRun>();
        foreach (var line in File.ReadLines(path))
        {
            if (!line.TrimStart().StartsWith('{')) continue;
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            string? Text(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            double? Number(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            if (Text("mode") is not { } mode || Text("precision") is not { } precision) continue;
            runs.Add(new PyTorchRun(mode, precision, Number("samples_per_second"), Number("step_ms"), Text("framework"), Text("device"), Text("skipped") ?? Text("error"),
                (int?)Number("items"), (int?)Number("batch")));
        }
        return runs;
    }
}
