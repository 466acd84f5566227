using System.Diagnostics;
using System.Text.Json;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;
using static DestinyDsl.Runtime.Tests.Tuning.Studies.StudyFixtures;

namespace DestinyDsl.Runtime.Tests.Tuning.Studies;

/// <summary>
/// A real process (tests/DestinyDsl.Tuning.KillWorker) runs a journaled study with two concurrent trials and is
/// killed once trials 0..K-1 have finished and trials K and K+1 are running; the study is then resumed here.
/// </summary>
public class StudyResumeAfterKillTests
{
    private const int K = 3;
    private const int Budget = 8; // as in the worker

    [Fact]
    public async Task AKilledStudyResumesWithoutLosingOrRepeatingATrial()
    {
        using var dir = new TempDirectory();
        var journal = dir.File("killed.jsonl");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WorkerPath());
        start.ArgumentList.Add(journal);
        start.ArgumentList.Add(K.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            // Wait (polling the journal, bounded by a hang guard) for K finished trials and trials K, K+1 started.
            var guard = Stopwatch.StartNew();
            while (!Ready(journal))
            {
                Assert.False(process.HasExited, $"the worker exited with {(process.HasExited ? process.ExitCode : 0)}: {(process.HasExited ? await stderr : "")}");
                Assert.True(guard.Elapsed < TimeSpan.FromSeconds(60), "the worker did not reach the kill point within 60 s");
                await Task.Delay(20);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var killed = File.ReadAllLines(journal).Select(Parse).ToArray();
        var startedBeforeKill = killed.Where(e => e.Event == "started").ToDictionary(e => e.Trial, e => e.Line);

        var ran = new List<int>();
        var study = new Study(Space, Fast());
        var result = await study.RunAsync((TrialContext trial, CancellationToken _) =>
        {
            lock (ran)
                ran.Add(trial.TrialId);
            var value = Bowl(trial.Parameters);
            trial.Report(1, value + 1);
            trial.Report(2, value);
            return Task.FromResult(value);
        }, new StudyOptions { TrialBudget = Budget, Concurrency = 2, JournalPath = journal });

        // None lost: every id 0..Budget-1 finished once; none repeated: the K finished ones were not run again,
        // the two killed ones ran once more with the parameters they had started with.
        Assert.Equal(Enumerable.Range(0, Budget), result.Trials.Select(t => t.Id));
        Assert.All(result.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(Enumerable.Range(K, Budget - K), ran.Order());
        Assert.Equal(ran.Count, ran.Distinct().Count());
        Assert.All(result.Trials.Take(K), t => Assert.True(t.Replayed));
        foreach (var id in new[] { K, K + 1 })
        {
            var parameters = JsonDocument.Parse(startedBeforeKill[id]).RootElement.GetProperty("parameters");
            Assert.Equal(parameters.GetProperty("x").GetDouble(), result.Trials[id].Parameters["x"]);
            Assert.Equal(parameters.GetProperty("lr").GetDouble(), result.Trials[id].Parameters["lr"]);
        }
        Assert.Equal(Budget, result.Trials.Select(t => t.Parameters).Distinct().Count());

        var after = File.ReadAllLines(journal).Select(Parse).ToArray();
        Assert.Equal(Enumerable.Range(0, Budget), after.Where(e => e.Event == "finished").Select(e => e.Trial).Order());
    }

    private static bool Ready(string journal)
    {
        if (!File.Exists(journal))
            return false;
        string text;
        using (var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
            text = reader.ReadToEnd();
        var events = text.Split('\n').Where(l => l.EndsWith('}')).Select(Parse).ToArray();
        var finished = events.Where(e => e.Event == "finished").Select(e => e.Trial).ToHashSet();
        var started = events.Where(e => e.Event == "started").Select(e => e.Trial).ToHashSet();
        return finished.SetEquals(Enumerable.Range(0, K)) && started.SetEquals(Enumerable.Range(0, K + 2));
    }

    private static (string Event, int Trial, string Line) Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        return (document.RootElement.GetProperty("event").GetString()!, document.RootElement.GetProperty("trial").GetInt32(), line);
    }

    private static string WorkerPath()
    {
        // The test assembly runs from tests/DestinyDsl.Runtime.Tests/bin/<Configuration>/<TargetFramework>/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!;
        var tests = configuration.Parent!.Parent!.Parent!;
        var path = Path.Combine(tests.FullName, "DestinyDsl.Tuning.KillWorker", "bin", configuration.Name, framework.Name, "DestinyDsl.Tuning.KillWorker.dll");
        Assert.True(File.Exists(path), $"the kill worker is not built at {path}");
        return path;
    }
}
