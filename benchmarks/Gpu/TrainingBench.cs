using System.Diagnostics;
using DestinyDsl.Benchmarks.HeadToHead;
using DestinyDsl.Runtime;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Gpu;
using DestinyDsl.Runtime.Gpu.Kernels;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Benchmarks.Gpu;

/// <summary>
/// <c>bench</c>: DSSTNE's benchmark network (sparse items → 3×1024 sigmoid → items, RMSProp, batch 256) trained on the
/// device group for warm-up + timed steps of the head-to-head's synthetic data (same generator, same seed, same CSR
/// file format, so PyTorch trains on the identical file), for FP32 and TF32 products; then the step's products alone
/// and its element-wise kernels alone, on device 0.
/// </summary>
internal static class TrainingBench
{
    /// <summary>The head-to-head's generator seed (benchmarks/HeadToHead/Program.cs).</summary>
    public const int Seed = 20161;

    /// <summary>
    /// Runs the bench; <paramref name="progress"/> gets the result so far after each precision. A part that fails
    /// (other than for want of a GPU) is reported in <see cref="BenchResult.Failures"/> and the others still run.
    /// </summary>
    public static BenchResult Run(Settings s, Action<BenchResult>? progress = null)
    {
        var shards = s.Devices.Count();
        var (data, dataPath) = Data(s, reuse: true);
        var runs = new List<PrecisionRun>();
        var failures = new List<string>();
        ElementwiseResult? elementwise = null;
        string? widths = null;
        IReadOnlyList<GemmShape>? shapes = null;

        T? Attempt<T>(string what, Func<T> part) where T : class
        {
            try
            {
                return part();
            }
            catch (Exception e) when (Cli.Unavailable(e) is null)
            {
                var message = $"{what}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
                Console.WriteLine($"  FAILED {message}");
                Console.Error.WriteLine(e);
                failures.Add(message);
                return null;
            }
        }

        foreach (var precision in s.Precisions)
        {
            var name = precision.ToString().ToUpperInvariant();
            var options = new GpuOptions { AllowTf32 = precision == Precision.Tf32 };
            var train = Attempt($"training {name}", () => Train(s, data, s.Devices.Group(shards, options), precision));
            if (train is null) continue;
            widths ??= string.Join(" → ", train.Spec.Layers.Select(l => l.Width));
            var products = Attempt($"products {name}", () => ProductsBench.Run(s.Devices, train.Spec, s.Batch, precision));
            shapes ??= products?.Shapes;
            if (products is not null)
                Console.WriteLine($"  step / products: {train.StepMilliseconds:F3} ms / {products.StepMilliseconds:F3} ms = {train.StepMilliseconds / products.StepMilliseconds:F2}×{(shards > 1 ? $" (products timed unsplit on one device; the step ran on {shards})" : "")}");
            elementwise ??= Attempt("element-wise kernels", () => ElementwiseBench.Run(s.Devices, train.ModelType, train.Spec, data, s.Batch));
            runs.Add(new PrecisionRun(precision.ToString().ToLowerInvariant(), train.SamplesPerSecond, train.StepMilliseconds,
                products?.StepMilliseconds, products is null ? null : train.StepMilliseconds / products.StepMilliseconds,
                train.FirstLoss, train.LastLoss, train.Device, products));
            progress?.Invoke(Result());
        }
        return Result();

        BenchResult Result() => new(
            Network: s.Network == BenchNetwork.Dsstne ? "DsstneBenchmark" : "DsstneSmoke", Widths: widths ?? "",
            Devices: s.Devices.ToString(), Shards: shards, Items: data.Columns, Rows: data.Rows, NonZeros: data.NonZeroCount,
            Batch: s.Batch, Warmup: s.Warmup, Steps: s.Steps, DataPath: dataPath,
            FlopsPerSample: shapes is null ? null : shapes.Sum(g => 2.0 * g.M * g.N * g.K) / s.Batch,
            Runs: runs.ToArray(), Elementwise: elementwise, Failures: failures.ToArray());
    }

    /// <summary>
    /// Writes the data file exactly as the head-to-head does and reads it back (the bytes PyTorch reads). With
    /// <paramref name="reuse"/>, a file named by --data whose header already says the right rows and columns is read
    /// as it is (run-on-gpu.sh writes it once with the <c>data</c> mode; the generator is deterministic).
    /// </summary>
    public static (SparseMatrix Data, string Path) Data(Settings s, bool reuse)
    {
        var rows = (s.Warmup + s.Steps) * s.Batch;
        var path = Path.GetFullPath(s.DataPath ?? Path.Combine(Path.GetTempPath(), $"destinydsl-gpu-{rows}x{s.Items}.csr"));
        var clock = Stopwatch.StartNew();
        var reused = reuse && s.DataPath is not null && HeaderSays(path, rows, s.Items);
        if (!reused)
        {
            var generated = SyntheticInteractions.Generate(new SyntheticOptions { Users = rows, Items = s.Items, Seed = Seed });
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            CsrFile.Write(path, generated.Matrix);
        }
        var data = CsrFile.Read(path);
        Console.WriteLine($"data: {data.Rows} rows × {data.Columns} columns, {data.NonZeroCount} non-zeros ({(double)data.NonZeroCount / data.Rows:F1} a row), seed {Seed}, {(reused ? "read" : "generated")} in {clock.Elapsed.TotalSeconds:F1}s");
        Console.WriteLine($"data file: {path}");
        return (data, path);
    }

    private static bool HeaderSays(string path, int rows, int columns)
    {
        if (!File.Exists(path)) return false;
        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.BaseStream.Length < 24 || !reader.ReadBytes(8).AsSpan().SequenceEqual("DDCSR001"u8)) return false;
        return reader.ReadInt32() == rows && reader.ReadInt32() == columns;
    }

    private static TrainResult Train(Settings s, SparseMatrix data, DeviceGroup group, Precision precision)
    {
        var clock = new StepClock();
        var build = Stopwatch.StartNew();
        using Model model = s.Network == BenchNetwork.Dsstne
            ? new DsstneBenchmark(itemsWidth: data.Columns, devices: group)
            : new DsstneSmoke(itemsWidth: data.Columns, devices: group);
        var built = build.Elapsed.TotalSeconds;
        var widths = string.Join(" → ", model.Spec.Layers.Select(l => l.Width));
        Console.WriteLine($"bench {precision.ToString().ToUpperInvariant()}: {model.Spec.Name} {widths} on {group.Description}, batch {s.Batch}, {s.Warmup} warm-up + {s.Steps} timed steps (model built in {built:F1}s)");
        var report = model.Train(new NetworkData().Add("items", data), new TrainingOptions { Epochs = 1, Batch = s.Batch }, clock);
        var (samplesPerSecond, stepSeconds) = clock.Throughput(s.Warmup, s.Batch);
        Console.WriteLine($"  {samplesPerSecond,10:F1} samples/s   {stepSeconds * 1e3:F3} ms a step   loss {clock.Losses[0]:F3} → {clock.Losses[^1]:F3}   ({report.Steps} steps in {report.Elapsed.TotalSeconds:F1}s)");
        if (GpuKernelRegistry.Find(model.GetType()) is null) throw new InvalidOperationException($"{model.GetType().Name} has no GPU kernels registered.");
        return new TrainResult(model.GetType(), model.Spec, samplesPerSecond, stepSeconds * 1e3, clock.Losses[0], clock.Losses[^1], group.Description);
    }

    private sealed record TrainResult(Type ModelType, NetworkSpec Spec, double SamplesPerSecond, double StepMilliseconds, double FirstLoss, double LastLoss, string Device);

    /// <summary>
    /// Takes a timestamp at every step's progress report (after the step's loss came back from the device, which
    /// synchronises: consecutive reports are one step apart in the steady state).
    /// </summary>
    private sealed class StepClock : IProgress<TrainingProgress>
    {
        private readonly List<long> _timestamps = new() { Stopwatch.GetTimestamp() };

        public List<double> Losses { get; } = new();

        public void Report(TrainingProgress value)
        {
            _timestamps.Add(Stopwatch.GetTimestamp());
            Losses.Add(value.Loss);
        }

        public (double SamplesPerSecond, double StepSeconds) Throughput(int warmup, int batch)
        {
            var timed = _timestamps.Count - 1 - warmup;
            if (timed <= 0) throw new InvalidOperationException($"Only {_timestamps.Count - 1} steps ran; {warmup} were warm-up.");
            var seconds = (double)(_timestamps[^1] - _timestamps[warmup]) / Stopwatch.Frequency;
            return (timed * batch / seconds, seconds / timed);
        }
    }
}

/// <summary>One precision's training run and products.</summary>
internal sealed record PrecisionRun(
    string Precision, double SamplesPerSecond, double StepMilliseconds, double? ProductsMilliseconds, double? StepOverProducts,
    double FirstLoss, double LastLoss, string Device, ProductsResult? Products);

/// <summary>The whole bench.</summary>
internal sealed record BenchResult(
    string Network, string Widths, string Devices, int Shards, int Items, int Rows, long NonZeros, int Batch, int Warmup, int Steps, string DataPath,
    double? FlopsPerSample, IReadOnlyList<PrecisionRun> Runs, ElementwiseResult? Elementwise, IReadOnlyList<string> Failures);
