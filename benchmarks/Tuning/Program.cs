using System.Diagnostics;
using System.Globalization;
using DestinyDsl.Runtime.Tests.Tuning.Optimization;

// Usage: dotnet run -c Release --project benchmarks/Tuning [-- seeds [problem ...]]
//   problem: branin | hartmann6 | branin-batch4 | hartmann6-batch4 (default: all)
var seeds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var which = args.Length > 1 ? args.Skip(1).ToHashSet() : ["branin", "hartmann6", "branin-batch4", "hartmann6-batch4"];
var settings = new DestinyDsl.Runtime.Tuning.Optimization.OptimizerSettings { Noiseless = true };
// Knobs for experiments (the defaults are what docs/tuning.md reports).
if (Environment.GetEnvironmentVariable("CANDIDATES") is { } candidates)
    settings = settings with { CandidateCount = int.Parse(candidates, CultureInfo.InvariantCulture) };
if (Environment.GetEnvironmentVariable("STARTS") is { } starts)
    settings = settings with { LocalStarts = int.Parse(starts, CultureInfo.InvariantCulture) };
if (Environment.GetEnvironmentVariable("INITIAL") is { } initial)
    settings = settings with { InitialPoints = int.Parse(initial, CultureInfo.InvariantCulture) };
if (Environment.GetEnvironmentVariable("NOISY") is not null)
    settings = settings with { Noiseless = false };
Console.WriteLine(settings);
var runs = new List<(string Key, TestProblems.Problem Problem, int Evaluations, int Batch, int[] Checkpoints)>
{
    ("branin", TestProblems.Branin, 40, 1, [10, 20, 30, 40]),
    ("hartmann6", TestProblems.Hartmann6, 60, 1, [20, 30, 40, 50, 60]),
    ("branin-batch4", TestProblems.Branin, 60, 4, [20, 40, 45, 60]),
    ("hartmann6-batch4", TestProblems.Hartmann6, 90, 4, [40, 60, 80, 90]),
};
Console.WriteLine($"GP-BO quality, {seeds} seeds (0..{seeds - 1}), {Environment.ProcessorCount} cores");
foreach (var (key, problem, evaluations, batch, checkpoints) in runs)
{
    if (!which.Contains(key))
        continue;
    var clock = Stopwatch.StartNew();
    var traces = new double[seeds][];
    var closest = new double[seeds];
    Parallel.For(0, seeds, seed =>
    {
        var encoder = new DestinyDsl.Runtime.Tuning.Optimization.SpaceEncoder(problem.Space);
        closest[seed] = double.PositiveInfinity;
        traces[seed] = TestProblems.Run(problem, seed, evaluations, batch, settings, trials =>
        {
            // Closest pair among concurrently pending suggestions (unit-cube distance).
            var points = trials.Select(t => encoder.Encode(t.Parameters)).ToArray();
            for (var i = 0; i < points.Length; i++)
                for (var j = 0; j < i; j++)
                    closest[seed] = Math.Min(closest[seed], Math.Sqrt(points[i].Zip(points[j], (a, b) => (a - b) * (a - b)).Sum()));
        });
    });
    var seconds = clock.Elapsed.TotalSeconds;
    var random = Enumerable.Range(0, 2000).Select(s => TestProblems.RandomSearch(problem, 100_000 + s, evaluations)).ToArray();
    Console.WriteLine();
    Console.WriteLine($"{problem.Name}, batch {batch}, {evaluations} evaluations: {seconds:F1} s wall for {seeds} seeds");
    Console.WriteLine("| N | median regret | q25 | q75 | max | random search median (2000 runs) |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (var n in checkpoints)
    {
        var at = traces.Select(t => t[n - 1]).OrderBy(v => v).ToArray();
        string Q(double q) => at[(int)Math.Round(q * (at.Length - 1))].ToString("G3", CultureInfo.InvariantCulture);
        Console.WriteLine($"| {n} | {TestProblems.Median(at).ToString("G3", CultureInfo.InvariantCulture)} | {Q(0.25)} | {Q(0.75)} | {Q(1)} | {TestProblems.Median(random.Select(r => r[n - 1])).ToString("G3", CultureInfo.InvariantCulture)} |");
    }
    if (batch > 1)
        Console.WriteLine("closest concurrent pair per seed: " + string.Join(" ", closest.Select(c => c.ToString("G2", CultureInfo.InvariantCulture))));
    Console.WriteLine("per seed at N=" + evaluations + ": " + string.Join(" ", traces.Select(t => t[^1].ToString("G3", CultureInfo.InvariantCulture))));
}
