using System.Text.Json;
using DestinyDsl.EndToEnd.Tests.Infrastructure;

namespace DestinyDsl.EndToEnd.Tests;

/// <summary>
/// <c>examples/MovieLens --tune</c> run as a user runs it: on the embedded synthetic data (a smaller draw of it, so the
/// study takes a minute or two on two cores), with the example's fixed seed and one trial at a time, so the run is
/// deterministic. Not in the package collection: it needs no package feed.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ExampleTuningTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    [Fact]
    public void TuningOnTheTrainingSplitBeatsTheDefaultsOnTheHeldOutItems()
    {
        var output = Path.Combine(Path.GetTempPath(), "destinydsl-tune-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = DotNet.Run(Repository.Root, Timeout,
                "run", "--project", Path.Combine("examples", "MovieLens"), "-c", "Release", "--no-build", "--",
                "--tune", "8", "--users", "2000", "--items", "1200", "--output", output);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("held-out items (never seen by the tuner)", run.Output);
            Assert.Contains("autoencoder, tuned", run.Output);

            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "tuning", "summary.json")));
            var root = summary.RootElement;
            Assert.Equal(8, root.GetProperty("trials").GetInt32());
            // The tuner trained and validated on exactly the training interactions: the held-out ones never reached it.
            Assert.Equal(root.GetProperty("trainingInteractions").GetInt64(), root.GetProperty("tunerInteractions").GetInt64());
            Assert.True(root.GetProperty("heldOutInteractions").GetInt64() > 0);

            var tuned = root.GetProperty("tuned").GetProperty("precisionAt10").GetDouble();
            var defaults = root.GetProperty("defaults").GetProperty("precisionAt10").GetDouble();
            var popularity = root.GetProperty("popularity").GetProperty("precisionAt10").GetDouble();
            Assert.False(root.GetProperty("defaultsWereBest").GetBoolean(), run.Output);
            Assert.True(tuned > defaults, $"tuned precision@10 {tuned:P2} does not beat the defaults' {defaults:P2}\n{run.Output}");
            Assert.True(defaults > popularity, run.Output);
            foreach (var plot in new[] { "best-vs-trials.svg", "best-vs-time.svg" })
                Assert.True(File.Exists(Path.Combine(output, "tuning", plot)), plot);
            Assert.True(File.Exists(Path.Combine(output, "tuning", "study.jsonl")));
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
