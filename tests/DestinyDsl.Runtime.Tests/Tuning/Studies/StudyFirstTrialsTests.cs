using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;
using static DestinyDsl.Runtime.Tests.Tuning.Studies.StudyFixtures;

namespace DestinyDsl.Runtime.Tests.Tuning.Studies;

/// <summary>StudyOptions.FirstTrials: given settings run first, as trials 0, 1, …, and count towards the budget.</summary>
public class StudyFirstTrialsTests
{
    private static readonly TrialParameters Defaults = TrialParameters.Of(("x", 0.5), ("lr", 0.01));
    private static readonly TrialParameters Other = TrialParameters.Of(("x", 0.9), ("lr", 0.001));

    [Fact]
    public async Task FirstTrialsRunFirstInOrderAndCountTowardsTheBudget()
    {
        var result = await new Study(Space, Fast()).RunAsync(
            (TrialParameters p, CancellationToken ct) => Task.FromResult(Bowl(p)),
            new StudyOptions { TrialBudget = 6, FirstTrials = [Defaults, Other] });

        Assert.Equal(6, result.Trials.Count);
        Assert.Equal(Defaults, result.Trials[0].Parameters);
        Assert.Equal(Other, result.Trials[1].Parameters);
        Assert.Equal(6, result.Trials.Select(t => t.Parameters).Distinct().Count());
    }

    [Fact]
    public async Task AResumedStudyDoesNotRunItsFirstTrialsAgain()
    {
        using var dir = new TempDirectory();
        var journal = dir.File("study.jsonl");
        var options = new StudyOptions { TrialBudget = 3, FirstTrials = [Defaults], JournalPath = journal };
        await new Study(Space, Fast()).RunAsync((TrialParameters p, CancellationToken ct) => Task.FromResult(Bowl(p)), options);

        var evaluated = new List<TrialParameters>();
        var resumed = await new Study(Space, Fast()).RunAsync((TrialParameters p, CancellationToken ct) =>
        {
            evaluated.Add(p);
            return Task.FromResult(Bowl(p));
        }, options with { TrialBudget = 5 });

        Assert.Equal(2, evaluated.Count);
        Assert.DoesNotContain(Defaults, evaluated);
        Assert.Equal(Defaults, resumed.Trials[0].Parameters);
        Assert.True(resumed.Trials[0].Replayed);
    }

    [Fact]
    public async Task AFirstTrialOfAnotherSpaceIsRejected()
    {
        var options = new StudyOptions { TrialBudget = 2, FirstTrials = [TrialParameters.Of(("lr", 0.01), ("x", 0.5))] };
        await Assert.ThrowsAsync<ArgumentException>(() => new Study(Space, Fast()).RunAsync((TrialParameters p, CancellationToken ct) => Task.FromResult(Bowl(p)), options));
    }
}
