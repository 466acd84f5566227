using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DestinyDsl.Benchmarks.HeadToHead;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Training;

// Head-to-head: DSSTNE's benchmark network trained here and in PyTorch CPU, same data file, same thread
// count, alternating runs in one process tree. Prints samples/s of each and their ratio.
//   dotnet run --project benchmarks/HeadToHead -c Release -- [--steps 10] [--rounds 3] [--dense] [--peak-gflops 630]
var settings = HeadToHeadSettings.Parse(args);
var rows = (settings.Warmup + settings.Steps) * settings.Batch;
var dataPath = Path.Combine(Path.GetTempPath(), $"destinydsl-h2h-{rows}x{settings.Items}.csr");
var generated = SyntheticInteractions.Generate(new SyntheticOptions { Users = rows, Items = settings.Items, Seed = 20161 });
CsrFile.Write(dataPath, generated.Matrix);
var data = CsrFile.Read(dataPath);
Console.WriteLine($"data: {data.Rows} rows × {data.Columns} columns, {data.NonZeroCount} non-zeros ({(double)data.NonZeroCount / data.Rows:F1} per row) in {dataPath}");
Console.WriteLine($"network: {settings.Items} → 1024 → 1024 → 1024 → {settings.Items}, batch {settings.Batch}, {settings.Steps} timed steps after {settings.Warmup} warm-up, {settings.Threads} threads");

var results = new Dictionary<string, List<double>>();
void Record(string name, double samplesPerSecond)
{
    if (!results.TryGetValue(name, out var list)) results[name] = list = new List<double>();
    list.Add(samplesPerSecond);
    Console.WriteLine($"  {name,-26} {samplesPerSecond,9:F1} samples/s");
}

for (var round = 1; round <= settings.Rounds; round++)
{
    Console.WriteLine($"round {round}/{settings.Rounds}");
    Record("pytorch (embeddingbag)", PyTorchRunner.Run(settings, dataPath, "embeddingbag"));
    if (settings.Dense) Record("pytorch (dense input)", PyTorchRunner.Run(settings, dataPath, "dense"));
    Record("destinydsl", DotNetRunner.Run(settings, data));
}

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

var ours = Median(results["destinydsl"]);
var flopsPerSample = StepFlops.PerSample(settings.Items, 1024, 3);
Console.WriteLine();
Console.WriteLine("median samples/s:");
foreach (var (name, values) in results)
{
    var median = Median(values);
    Console.WriteLine($"  {name,-26} {median,9:F1}   ({median * flopsPerSample / 1e9:F1} GFLOP/s{(settings.PeakGflops > 0 ? $", {100 * median * flopsPerSample / 1e9 / settings.PeakGflops:F1}% of peak" : "")})");
}
foreach (var (name, values) in results.Where(r => r.Key != "destinydsl"))
{
    Console.WriteLine($"ratio destinydsl / {name}: {ours / Median(values):F2}×");
}

/// <summary>Command-line settings of the harness.</summary>
internal sealed record HeadToHeadSettings(int Steps, int Warmup, int Rounds, int Batch, int Items, int Threads, bool Dense, string Python, double PeakGflops)
{
    public static HeadToHeadSettings Parse(string[] args)
    {
        string? Get(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new HeadToHeadSettings(
            Steps: Int("--steps", 10),
            Warmup: Int("--warmup", 2),
            Rounds: Int("--rounds", 3),
            Batch: 256,
            Items: Int("--items", 27278),
            Threads: Int("--threads", Environment.ProcessorCount),
            Dense: args.Contains("--dense"),
            Python: Get("--python") ?? "/usr/bin/python3",
            PeakGflops: Get("--peak-gflops") is { } p ? double.Parse(p, CultureInfo.InvariantCulture) : 0);
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

/// <summary>Runs the PyTorch script as a child process and reads its JSON line.</summary>
internal static class PyTorchRunner
{
    public static double Run(HeadToHeadSettings s, string dataPath, string input)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "pytorch_train.py");
        var psi = new ProcessStartInfo(s.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { script, "--data", dataPath, "--steps", $"{s.Steps}", "--warmup", $"{s.Warmup}", "--threads", $"{s.Threads}", "--input", input },
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {s.Python}.");
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"PyTorch run failed ({process.ExitCode}): {stderr}");
        using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        return json.RootElement.GetProperty("samples_per_second").GetDouble();
    }
}

/// <summary>Trains the generated DsstneBenchmark model in this process and times the steps after warm-up.</summary>
internal static class DotNetRunner
{
    public static double Run(HeadToHeadSettings s, SparseMatrix data)
    {
        using var model = new DsstneBenchmark(itemsWidth: data.Columns);
        var clock = new StepClock();
        model.Train(data, new TrainingOptions { Epochs = 1 }, clock);
        return clock.SamplesPerSecond(s.Warmup, s.Batch);
    }

    /// <summary>Records a timestamp at every step synchronously (Progress&lt;T&gt; would post asynchronously).</summary>
    private sealed class StepClock : IProgress<TrainingProgress>
    {
        private readonly List<long> _timestamps = new() { Stopwatch.GetTimestamp() };

        public void Report(TrainingProgress value) => _timestamps.Add(Stopwatch.GetTimestamp());

        public double SamplesPerSecond(int warmup, int batch)
        {
            var timed = _timestamps.Count - 1 - warmup;
            if (timed <= 0) throw new InvalidOperationException($"Only {_timestamps.Count - 1} steps ran; {warmup} were warm-up.");
            var seconds = (double)(_timestamps[^1] - _timestamps[warmup]) / Stopwatch.Frequency;
            return timed * batch / seconds;
        }
    }
}
