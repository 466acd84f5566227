using DestinyDsl.SourceGenerator.Tests.Infrastructure;

namespace DestinyDsl.SourceGenerator.Tests;

/// <summary>
/// The generator's exact output (through the incremental driver, from the .dnet text) for LANGUAGE.md's two
/// examples, the MovieLens example, the head-to-head benchmark and a file covering every activation, loss,
/// optimizer and initialiser: both files of each network, the model class and its GPU kernels (the compilation
/// references DestinyDsl.Runtime.Gpu). Golden files: Golden/&lt;Test&gt;/; DNET_UPDATE_GOLDEN=1 re-baselines.
/// </summary>
public class GoldenTests
{
    [Fact]
    public void MovieLens() => Verify(nameof(MovieLens));

    [Fact]
    public void DeepAutoencoder() => Verify(nameof(DeepAutoencoder), rootNamespace: "LanguageExamples");

    [Fact]
    public void DsstneBenchmark() => Verify(nameof(DsstneBenchmark));

    [Fact]
    public void Coverage() => Verify(nameof(Coverage));

    /// <summary>Every learning-rate schedule: its options and the spec's <c>Schedule</c>; the GPU kernels take the rate as an argument, so they do not change.</summary>
    [Fact]
    public void Schedules() => Verify(nameof(Schedules));

    /// <summary>Tied weights: the spec's <c>Tied</c> on each tied layer; the kernels are the untied network's.</summary>
    [Fact]
    public void Tied() => Verify(nameof(Tied));
    /// <summary>Batch-normed hidden layers: the spec's <c>BatchNorm</c> argument (layers without it are written as before).</summary>
    [Fact]
    public void BatchNorm() => Verify(nameof(BatchNorm));

    [Fact]
    public void HintNamesStayUniqueForSameNamedFilesInDifferentFolders()
    {
        var text = GeneratorHarness.Input("MovieLens").Text;
        var (result, _) = GeneratorHarness.Run(new[] { ("/a/MovieLens.dnet", text.Replace("namespace Samples.MovieLens;", "namespace A;")), ("/b/MovieLens.dnet", text.Replace("namespace Samples.MovieLens;", "namespace B;")) });
        Assert.Empty(result.Diagnostics);
        var hints = result.GeneratedSources.Select(s => s.HintName).ToArray();
        Assert.Equal(2, hints.Distinct().Count());
        Assert.All(hints, h => Assert.Matches(@"^MovieLens\.[0-9a-f]{8}\.MovieLensAutoencoder\.g\.cs$", h));
    }

    private static void Verify(string input, string? rootNamespace = null)
    {
        // The compilation references DestinyDsl.Runtime.Gpu, so each network has both files: <Network>.g.cs and <Network>.Gpu.g.cs.
        var (result, output) = GeneratorHarness.Run(new[] { GeneratorHarness.Input(input) }, rootNamespace, gpu: true);
        Assert.Empty(result.Diagnostics);
        Assert.Null(result.Exception);
        Golden.Verify(input, GeneratorHarness.Sources(result));
        Assert.Equal(2 * result.GeneratedSources.Count(s => !s.HintName.EndsWith(".Gpu.g.cs", StringComparison.Ordinal)), result.GeneratedSources.Length);
        // Every golden case compiles against the runtime (and the GPU runtime) with no diagnostic at all.
        TestCompilation.AssertClean(output);
    }
}
