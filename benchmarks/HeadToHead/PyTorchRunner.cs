using System.Diagnostics;
using System.Text.Json;

namespace DestinyDsl.Benchmarks.HeadToHead;

/// <summary>Runs the PyTorch script as a child process under one environment and reads its JSON line.</summary>
internal static class PyTorchRunner
{
    public static double Run(HeadToHeadSettings s, string dataPath, string input, PeerEnvironment environment)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "pytorch_train.py");
        var psi = new ProcessStartInfo(s.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { script, "--data", dataPath, "--steps", $"{s.Steps}", "--warmup", $"{s.Warmup}", "--threads", $"{s.Threads}", "--input", input },
        };
        environment.ApplyTo(psi);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {s.Python}.");
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = stderrTask.Result;
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"PyTorch run [{environment.Name}] failed ({process.ExitCode}): {stderr}");
        using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        WarnAboutBlas(json.RootElement);
        return json.RootElement.GetProperty("samples_per_second").GetDouble();
    }

    private static bool _blasReported;

    /// <summary>Says once which BLAS PyTorch loaded, and warns when it is Debian's reference BLAS (tens of times slower).</summary>
    private static void WarnAboutBlas(JsonElement result)
    {
        if (_blasReported || !result.TryGetProperty("blas", out var blas)) return;
        _blasReported = true;
        var libraries = blas.EnumerateArray().Select(b => b.GetString() ?? "").ToArray();
        Console.WriteLine($"  (pytorch's BLAS: {(libraries.Length == 0 ? "none found in its memory map" : string.Join(", ", libraries))})");
        if (!libraries.Any(l => l.Contains("openblas", StringComparison.OrdinalIgnoreCase) || l.Contains("mkl", StringComparison.OrdinalIgnoreCase)))
        {
            Console.WriteLine("  WARNING: PyTorch is not on an optimised BLAS (install libopenblas0-pthread): its figures are not PyTorch at its best.");
        }
    }
}
