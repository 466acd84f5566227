using System.Collections.Concurrent;
using System.Text.Json;
using System.Xml.Linq;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;
using static DestinyDsl.Runtime.Tests.Tuning.Studies.StudyFixtures;

namespace DestinyDsl.Runtime.Tests.Tuning.Studies;

public class StudyJournalTests
{
    private static Task<double> Objective(TrialContext trial)
    {
        var value = trial.TrialId == 2 ? double.NaN : Bowl(trial.Parameters);
        trial.Report(1, value + 1);
        trial.Report(2, value);
        if (trial.TrialId == 3)
            throw new IOException("disk on fire");
        return Task.FromResult(value);
    }

    [Fact]
    public async Task AFinishedJournalReplaysEveryTrialWithoutRunningOne()
    {
        using var dir = new TempDirectory();
        var options = new StudyOptions { TrialBudget = 6, JournalPath = dir.File("j.jsonl") };
        var study = new Study(Space, Fast());
        var first = await study.RunAsync((TrialContext t, CancellationToken _) => Objective(t), options);

        var lines = File.ReadAllLines(options.JournalPath);
        Assert.Equal(6 * 4, lines.Length); // started, 2 epochs, finished per trial
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());

        var again = await study.RunAsync((TrialContext _, CancellationToken _) => throw new InvalidOperationException("must not run"), options);
        Assert.Equal(first.Trials.Count, again.Trials.Count);
        foreach (var (a, b) in first.Trials.Zip(again.Trials))
        {
            Assert.Equal(a.Id, b.Id);
            Assert.Equal(a.Parameters, b.Parameters);
            Assert.Equal(a.State, b.State);
            Assert.Equal(a.Value, b.Value); // bit-identical (NaN for the diverged and failed ones)
            Assert.Equal(a.Epochs, b.Epochs);
            Assert.Equal(a.Error, b.Error);
            Assert.Equal(a.Started, b.Started);
            Assert.Equal(a.Ended, b.Ended);
            Assert.True(b.Replayed);
        }
        Assert.Equal(TrialState.Diverged, again.Trials[2].State);
        Assert.Equal(TrialState.Failed, again.Trials[3].State);
        Assert.Equal("IOException: disk on fire", again.Trials[3].Error);
        Assert.Equal(first.BestTrial!.Id, again.BestTrial!.Id);
        Assert.Equal(lines.Length, File.ReadAllLines(options.JournalPath).Length); // nothing appended
    }

    [Fact]
    public async Task AStartedButUnfinishedTrialIsRerunOnceWithItsIdAndParameters()
    {
        using var dir = new TempDirectory();
        var journal = dir.File("j.jsonl");
        var study = new Study(Space, Fast());
        await study.RunAsync((TrialContext t, CancellationToken _) => Task.FromResult(Bowl(t.Parameters)), new StudyOptions { TrialBudget = 4, JournalPath = journal });
        // A process killed while trial 4 ran: its start and one epoch are journaled, nothing else.
        File.AppendAllText(journal,
            """{"event":"started","trial":4,"time":"2026-12-07T22:00:00.0000000+00:00","parameters":{"x":0.25,"lr":0.002}}""" + "\n" +
            """{"event":"epoch","trial":4,"epoch":1,"value":7.5}""" + "\n");

        var ran = new ConcurrentBag<(int Id, TrialParameters Parameters)>();
        var result = await study.RunAsync((TrialContext t, CancellationToken _) =>
        {
            ran.Add((t.TrialId, t.Parameters));
            t.Report(1, 3);
            return Task.FromResult(Bowl(t.Parameters));
        }, new StudyOptions { TrialBudget = 7, JournalPath = journal });

        Assert.Equal(Enumerable.Range(0, 7), result.Trials.Select(t => t.Id));
        Assert.Equal([4, 5, 6], ran.Select(r => r.Id).Order());
        Assert.Equal(TrialParameters.Of(("x", 0.25), ("lr", 0.002)), ran.Single(r => r.Id == 4).Parameters);
        Assert.Equal([new EpochMetric(1, 3)], result.Trials[4].Epochs); // the re-run's metrics, not the killed attempt's
        Assert.False(result.Trials[4].Replayed);

        // The journal reads back to the same seven trials.
        var replay = await study.RunAsync((TrialContext _, CancellationToken _) => throw new InvalidOperationException("must not run"), new StudyOptions { TrialBudget = 7, JournalPath = journal });
        Assert.Equal(result.Trials.Select(t => (t.Id, t.Parameters, t.Value)), replay.Trials.Select(t => (t.Id, t.Parameters, t.Value)));
    }

    [Fact]
    public async Task ATruncatedLastLineIsIgnoredWithAWarningAndCut()
    {
        using var dir = new TempDirectory();
        var journal = dir.File("j.jsonl");
        var study = new Study(Space, Fast());
        await study.RunAsync((TrialContext t, CancellationToken _) => Task.FromResult(Bowl(t.Parameters)), new StudyOptions { TrialBudget = 3, JournalPath = journal });
        File.AppendAllText(journal, """{"event":"started","trial":3,"ti""");

        var logged = new List<string>();
        var result = await study.RunAsync((TrialContext t, CancellationToken _) => Task.FromResult(Bowl(t.Parameters)),
            new StudyOptions { TrialBudget = 5, JournalPath = journal, Log = logged.Add });

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(warning, Assert.Single(logged));
        Assert.Contains($"{journal}:7:", warning);
        Assert.Contains("incomplete", warning);
        Assert.Equal(Enumerable.Range(0, 5), result.Trials.Select(t => t.Id));
        Assert.All(File.ReadAllLines(journal), l => JsonDocument.Parse(l).Dispose()); // the torn tail was cut
    }

    [Fact]
    public async Task ACompleteLastLineWithoutItsNewlineIsKept()
    {
        using var dir = new TempDirectory();
        var journal = dir.File("j.jsonl");
        var study = new Study(Space, Fast());
        await study.RunAsync((TrialContext t, CancellationToken _) => Task.FromResult(Bowl(t.Parameters)), new StudyOptions { TrialBudget = 2, JournalPath = journal });
        File.WriteAllText(journal, File.ReadAllText(journal).TrimEnd('\n'));

        var result = await study.RunAsync((TrialContext t, CancellationToken _) => Task.FromResult(Bowl(t.Parameters)), new StudyOptions { TrialBudget = 3, JournalPath = journal });
        Assert.Empty(result.Warnings);
        Assert.Equal([true, true, false], result.Trials.Select(t => t.Replayed));
        Assert.Equal(6, File.ReadAllLines(journal).Length);
        Assert.All(File.ReadAllLines(journal), l => JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public async Task AMalformedLineIsAnErrorNamingTheFileAndLine()
    {
        using var dir = new TempDirectory();
        var journal = dir.File("j.jsonl");
        var study = new Study(Space, Fast());
        await study.RunAsync((TrialContext t, CancellationToken _) => Task.FromResult(Bowl(t.Parameters)), new StudyOptions { TrialBudget = 2, JournalPath = journal });
        var lines = File.ReadAllLines(journal).ToList();
        lines.Insert(1, "{not json");
        File.WriteAllLines(journal, lines);

        var error = await Assert.ThrowsAsync<DataFormatException>(() => study.RunAsync((TrialContext t, CancellationToken _) => Task.FromResult(0.0), new StudyOptions { TrialBudget = 3, JournalPath = journal }));
        Assert.Equal(journal, error.Path);
        Assert.Equal(2, error.Line);
        Assert.StartsWith($"{journal}:2: ", error.Message);

        lines.RemoveAt(1);
        lines[1] = lines[1].Replace("\"trial\":0", "\"trial\":9");
        File.WriteAllLines(journal, lines);
        error = await Assert.ThrowsAsync<DataFormatException>(() => study.RunAsync((TrialContext t, CancellationToken _) => Task.FromResult(0.0), new StudyOptions { TrialBudget = 3, JournalPath = journal }));
        Assert.Equal(2, error.Line);
        Assert.Contains("trial 9 was never started", error.Message);
    }

    [Fact]
    public async Task AJournalOfAnotherSpaceIsRejected()
    {
        using var dir = new TempDirectory();
        var journal = dir.File("j.jsonl");
        await new Study(Space, Fast()).RunAsync((TrialContext t, CancellationToken _) => Task.FromResult(0.0), new StudyOptions { TrialBudget = 1, JournalPath = journal });
        var other = new Runtime.Tuning.SearchSpace([new Runtime.Tuning.SearchDimension("y", 1, 0, 2, false, false)]);
        var error = await Assert.ThrowsAsync<DataFormatException>(() => new Study(other, Fast()).RunAsync((TrialContext t, CancellationToken _) => Task.FromResult(0.0), new StudyOptions { TrialBudget = 2, JournalPath = journal }));
        Assert.Equal(1, error.Line);
        Assert.Contains("search space", error.Message);
    }

    [Fact]
    public async Task PlotsAreWrittenAsSvg()
    {
        using var dir = new TempDirectory();
        var study = new Study(Space, Fast());
        var result = await study.RunAsync((TrialContext t, CancellationToken _) =>
        {
            if (t.TrialId == 1)
                throw new InvalidOperationException("boom");
            return Task.FromResult(Bowl(t.Parameters));
        }, new StudyOptions { TrialBudget = 7 });

        var files = StudyPlots.Write(result, Space, dir.File("plots"));
        Assert.Equal(["best-vs-trials.svg", "best-vs-time.svg", "dimension-00-x.svg", "dimension-01-lr.svg"], files.Select(Path.GetFileName));
        foreach (var file in files)
        {
            var svg = XDocument.Load(file);
            Assert.Equal("svg", svg.Root!.Name.LocalName);
        }
        var lr = XDocument.Load(files[3]);
        Assert.Equal(6, lr.Descendants().Count(e => e.Name.LocalName == "circle")); // one dot per completed trial
        Assert.Contains(lr.Descendants(), e => e.Name.LocalName == "text" && e.Value == "log10(lr)");
        var best = XDocument.Load(files[0]);
        Assert.Single(best.Descendants(), e => e.Name.LocalName == "polyline");
    }
}
