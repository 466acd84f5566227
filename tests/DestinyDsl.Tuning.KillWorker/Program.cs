using System.Globalization;
using DestinyDsl.Runtime.Tuning;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

// dotnet DestinyDsl.Tuning.KillWorker.dll <journal> <k>
// Runs the study of tests/DestinyDsl.Runtime.Tests/Tuning/Studies/StudyResumeAfterKillTests.cs (same space, settings
// and objective): trials 0..k-1 finish at once, every later trial waits until the process is killed. The wait is
// bounded (a hang guard, should the test die without killing us): then the worker exits with code 3.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: DestinyDsl.Tuning.KillWorker <journal> <k>");
    return 2;
}
var journal = args[0];
var k = int.Parse(args[1], CultureInfo.InvariantCulture);

var space = new SearchSpace(
[
    new SearchDimension("x", 0.5, 0, 1, Log: false, Integer: false),
    new SearchDimension("lr", 0.01, 1e-4, 1e-1, Log: true, Integer: false),
]);
var settings = new OptimizerSettings { Seed = 7, BurnIn = 10, HyperparameterSamples = 2, CandidateCount = 200, LocalStarts = 1, LocalBudget = 40 };
var study = new Study(space, settings);
await study.RunAsync(async (TrialContext trial, CancellationToken ct) =>
{
    var value = Math.Pow(trial.Parameters["x"] - 0.3, 2) + Math.Pow(Math.Log10(trial.Parameters["lr"]) + 2, 2);
    trial.Report(1, value + 1);
    if (trial.TrialId >= k)
    {
        await Task.Delay(TimeSpan.FromSeconds(120), ct);
        Environment.Exit(3);
    }
    trial.Report(2, value);
    return value;
}, new StudyOptions { TrialBudget = 8, Concurrency = 2, JournalPath = journal });
return 0;
