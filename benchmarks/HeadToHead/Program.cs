using DestinyDsl.Benchmarks.HeadToHead;
using DestinyDsl.Benchmarks.Kernels;
using DestinyDsl.Runtime.Data;

// Head-to-head: DSSTNE's benchmark network trained here and in PyTorch CPU, same data file, same thread count,
// alternating runs in one process tree. PyTorch runs under every environment worth trying (PeerEnvironment) and the
// ratio is against the fastest; the FMA peak is measured in the same run; a profiled run breaks our step into phases.
//   dotnet run --project benchmarks/HeadToHead -c Release -- [--steps 10] [--rounds 3] [--keep 2] [--dense] [--peak-gflops N] [--no-profile]
//   ... -- --ab [--rounds 3] [--steps 10]: no PyTorch; our step's old and new CPU paths alternating (PathComparison)
var settings = HeadToHeadSettings.Parse(args);
var rows = (settings.Warmup + settings.Steps) * settings.Batch;
var dataPath = Path.Combine(Path.GetTempPath(), $"destinydsl-h2h-{rows}x{settings.Items}.csr");
var generated = SyntheticInteractions.Generate(new SyntheticOptions { Users = rows, Items = settings.Items, Seed = 20161 });
CsrFile.Write(dataPath, generated.Matrix);
var data = CsrFile.Read(dataPath);
Console.WriteLine($"data: {data.Rows} rows × {data.Columns} columns, {data.NonZeroCount} non-zeros ({(double)data.NonZeroCount / data.Rows:F1} per row) in {dataPath}");
Console.WriteLine($"network: {settings.Items} → 1024 → 1024 → 1024 → {settings.Items}, batch {settings.Batch}, {settings.Steps} timed steps after {settings.Warmup} warm-up, {settings.Threads} threads");

if (settings.CompareCpuPaths)
{
    var peakBeforeAb = settings.PeakGflops > 0 ? settings.PeakGflops : FmaPeak.WallGflops(settings.Threads);
    PathComparison.Run(settings, data, settings.PeakGflops > 0 ? settings.PeakGflops : Math.Max(peakBeforeAb, MeasureAgain(settings.Threads)));
    return;
}

var environments = PeerEnvironment.Candidates(out var missing);
Console.WriteLine("pytorch environments:");
foreach (var environment in environments) Console.WriteLine($"  {environment.Name,-14} {environment.Description}");
foreach (var absent in missing) Console.WriteLine($"  (not installed, not tried: {absent})");

// The peak before and after the runs: the larger is the machine's (a neighbour's load lowers either, never raises).
var peakBefore = settings.PeakGflops > 0 ? settings.PeakGflops : FmaPeak.WallGflops(settings.Threads);

var results = new Results();
var contenders = environments;
for (var round = 1; round <= settings.Rounds; round++)
{
    Console.WriteLine($"round {round}/{settings.Rounds}{(round == 1 && settings.Rounds > 1 && environments.Count > settings.Keep ? " (screening every environment)" : "")}");
    foreach (var environment in contenders)
    {
        results.Record($"pytorch embeddingbag [{environment.Name}]", PyTorchRunner.Run(settings, dataPath, "embeddingbag", environment));
        if (settings.Dense) results.Record($"pytorch dense [{environment.Name}]", PyTorchRunner.Run(settings, dataPath, "dense", environment));
    }
    results.Record("destinydsl", DotNetRunner.Run(settings, data, profile: null));
    // After the first round only the fastest environments run again (each run of every combination costs ~30 s).
    if (round == 1 && environments.Count > settings.Keep)
    {
        contenders = environments.OrderByDescending(e => results.Last($"pytorch embeddingbag [{e.Name}]")).Take(settings.Keep).ToArray();
        Console.WriteLine($"  kept for the next rounds: {string.Join(", ", contenders.Select(e => e.Name))}");
    }
}
var peak = settings.PeakGflops > 0 ? settings.PeakGflops : Math.Max(peakBefore, MeasureAgain(settings.Threads));

var flopsPerSample = StepFlops.PerSample(settings.Items, 1024, 3);
Console.WriteLine();
Console.WriteLine($"FMA peak, {settings.Threads} threads: {peak:F0} GFLOP/s ({(settings.PeakGflops > 0 ? "given" : "measured in this run, the larger of before and after")})");
results.PrintSummary(flopsPerSample, peak);

if (settings.Profile)
{
    Console.WriteLine();
    PhaseTable.Print(settings, data, peak);
}

static double MeasureAgain(int threads)
{
    FmaPeak.Forget();
    return FmaPeak.WallGflops(threads);
}
