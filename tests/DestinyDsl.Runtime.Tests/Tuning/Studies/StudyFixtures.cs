using DestinyDsl.Runtime.Tuning;
using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tests.Tuning.Studies;

/// <summary>A small space, a cheap objective and fast optimiser settings shared by the study tests.</summary>
internal static class StudyFixtures
{
    public static readonly SearchSpace Space = new(
    [
        new SearchDimension("x", 0.5, 0, 1, Log: false, Integer: false),
        new SearchDimension("lr", 0.01, 1e-4, 1e-1, Log: true, Integer: false),
    ]);

    /// <summary>Few MCMC sweeps and candidates: these tests check the study, not the optimiser's quality.</summary>
    public static OptimizerSettings Fast(OptimizationDirection direction = OptimizationDirection.Minimize, int seed = 7) =>
        new() { Seed = seed, Direction = direction, BurnIn = 10, HyperparameterSamples = 2, CandidateCount = 200, LocalStarts = 1, LocalBudget = 40 };

    /// <summary>Minimum 0 at x = 0.3, lr = 0.01.</summary>
    public static double Bowl(TrialParameters p) => Math.Pow(p["x"] - 0.3, 2) + Math.Pow(Math.Log10(p["lr"]) + 2, 2);
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "destinydsl-study-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
