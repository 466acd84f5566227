using System.Collections;
using System.Reflection;
using DestinyDsl.SourceGenerator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DestinyDsl.SourceGenerator.Tests;

/// <summary>
/// Incremental caching, observed through the driver's step tracking: C# edits never re-run .dnet work (the GPU
/// kernels included: only the bool "references DestinyDsl.Runtime.Gpu" is re-read), a .dnet edit re-runs only its own
/// file, comment and whitespace edits regenerate nothing, and the pipeline models hold no Roslyn objects.
/// </summary>
public class IncrementalTests
{
    private static readonly string[] DnetSteps =
    {
        DnetGeneratorStepNames.Files, DnetGeneratorStepNames.HintNames, DnetGeneratorStepNames.Compile,
        DnetGeneratorStepNames.Emit, DnetGeneratorStepNames.Sources, DnetGeneratorStepNames.Failures,
        DnetGeneratorStepNames.GpuProperty, DnetGeneratorStepNames.GpuKernels, DnetGeneratorStepNames.GpuEmit,
    };

    private const string MovieLensPath = "/src/MovieLens.dnet";
    private const string DeepPath = "/src/DeepAutoencoder.dnet";

    [Fact]
    public void EditingCSharpLeavesEveryDnetStepCached()
    {
        var (driver, compilation) = Start();
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText("public static class UserCode { public static int Answer => 42; }", TestCompilation.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in DnetSteps.Append(DnetGeneratorStepNames.RootNamespace))
        {
            Assert.All(Outputs(result, step), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }
        Assert.All(result.TrackedOutputSteps["SourceOutput"].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void EditingCSharpLeavesTheGpuKernelsCached()
    {
        var (driver, compilation) = Start(gpu: true);
        Assert.Equal(4, driver.GetRunResult().Results.Single().GeneratedSources.Length);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText("public static class UserCode { public static int Answer => 42; }", TestCompilation.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // The reference check re-runs on the new compilation and finds the same answer; nothing after it runs.
        Assert.All(Outputs(result, DnetGeneratorStepNames.GpuReference), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        foreach (var step in DnetSteps)
        {
            Assert.All(Outputs(result, step), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }
        Assert.All(result.TrackedOutputSteps["SourceOutput"].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(2, result.GeneratedSources.Count(s => s.HintName.EndsWith(".Gpu.g.cs", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReferencingTheGpuRuntimeAddsTheGpuKernelsAndLeavesTheModelClassesCached()
    {
        var (driver, _) = Start();
        Assert.DoesNotContain(driver.GetRunResult().Results.Single().GeneratedSources, s => s.HintName.EndsWith(".Gpu.g.cs", StringComparison.Ordinal));
        var result = driver.RunGenerators(TestCompilation.Create(new[] { "public static class UserCode { }" }, gpu: true)).GetRunResult().Results.Single();

        Assert.All(Outputs(result, DnetGeneratorStepNames.GpuReference), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.All(Outputs(result, DnetGeneratorStepNames.GpuEmit), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.All(Outputs(result, DnetGeneratorStepNames.Emit), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(Outputs(result, DnetGeneratorStepNames.Sources), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(2, result.GeneratedSources.Count(s => s.HintName.EndsWith(".Gpu.g.cs", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheGpuPropertyTurnsTheGpuKernelsOnWithoutTouchingTheModelClasses()
    {
        var (driver, compilation) = Start();
        driver = driver.WithUpdatedAnalyzerConfigOptions(new TestOptionsProvider(rootNamespace: "LanguageExamples", gpuKernels: "true"));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.All(Outputs(result, DnetGeneratorStepNames.GpuProperty), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.All(Outputs(result, DnetGeneratorStepNames.GpuEmit), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.All(Outputs(result, DnetGeneratorStepNames.Emit), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(2, result.GeneratedSources.Count(s => s.HintName.EndsWith(".Gpu.g.cs", StringComparison.Ordinal)));
    }

    [Fact]
    public void EditingAValueRegeneratesTheGpuKernelsOfOnlyThatFile()
    {
        var (driver, compilation) = Start(gpu: true);
        var (_, text) = GeneratorHarness.Input("MovieLens");
        var result = Replace(driver, MovieLensPath, text.Replace("hidden h1     : 128 tune(64 .. 256, log, int) sigmoid", "hidden h1     : 128 tune(64 .. 256, log, int) tanh")).RunGenerators(compilation).GetRunResult().Results.Single();

        var gpu = Outputs(result, DnetGeneratorStepNames.GpuEmit).ToList();
        Assert.Single(gpu, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(gpu, o => o.Reason == IncrementalStepRunReason.Cached);
        Assert.Contains("private static float Derivative(float a) => 1f - a * a;", result.GeneratedSources.Single(s => s.HintName == "MovieLens.MovieLensAutoencoder.Gpu.g.cs").SourceText.ToString());
    }

    [Fact]
    public void RerunningUnchangedInputIsCachedThroughout()
    {
        var (driver, compilation) = Start();
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        foreach (var step in DnetSteps) Assert.All(Outputs(result, step), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void EditingACommentRegeneratesNothingAndLeavesTheOtherFileCached()
    {
        var (driver, compilation) = Start();
        var (_, text) = GeneratorHarness.Input("MovieLens");
        var edited = text.Replace("// width bound from the data at construction", "// width taken from the data when the model is built");
        Assert.NotEqual(text, edited);
        var result = Replace(driver, MovieLensPath, edited).RunGenerators(compilation).GetRunResult().Results.Single();

        // The edited file is read again, compiles to an equal model, and nothing after that runs.
        Assert.Equal(IncrementalStepRunReason.Modified, ReasonFor(result, DnetGeneratorStepNames.Files, MovieLensPath));
        Assert.Equal(IncrementalStepRunReason.Unchanged, ReasonFor(result, DnetGeneratorStepNames.Compile, MovieLensPath));
        Assert.All(Outputs(result, DnetGeneratorStepNames.Emit), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(Outputs(result, DnetGeneratorStepNames.Sources), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        // The other file is untouched end to end.
        Assert.Equal(IncrementalStepRunReason.Cached, ReasonFor(result, DnetGeneratorStepNames.Files, DeepPath));
        Assert.Equal(IncrementalStepRunReason.Cached, ReasonFor(result, DnetGeneratorStepNames.Compile, DeepPath));
        Assert.All(result.TrackedOutputSteps["SourceOutput"].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void EditingAValueRegeneratesOnlyThatFile()
    {
        var (driver, compilation) = Start();
        var (_, text) = GeneratorHarness.Input("MovieLens");
        var result = Replace(driver, MovieLensPath, text.Replace("learning_rate = 0.025", "learning_rate = 0.05")).RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, ReasonFor(result, DnetGeneratorStepNames.Compile, MovieLensPath));
        Assert.Contains(Outputs(result, DnetGeneratorStepNames.Sources), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(IncrementalStepRunReason.Cached, ReasonFor(result, DnetGeneratorStepNames.Compile, DeepPath));
        Assert.Contains("LearningRate { get; set; } = 0.05f;", result.GeneratedSources.Single(s => s.HintName.StartsWith("MovieLens.", StringComparison.Ordinal)).SourceText.ToString());
    }

    [Fact]
    public void MovingAnErrorRerunsOnlyTheAnalyzersDiagnostic()
    {
        var broken = GeneratorHarness.Input("MovieLens").Text.Replace("hidden h1     : 128 tune(64 .. 256, log, int) sigmoid", "hidden h1     : 128 tune(64 .. 256, log, int) sigmod");
        var moved = broken.Replace("hidden h1     : 128 tune(64 .. 256, log, int) sigmod", "hidden h1 :    128 tune(64 .. 256, log, int)    sigmod");
        var (driver, compilation) = Start(broken);
        var result = Replace(driver, MovieLensPath, moved).RunGenerators(compilation).GetRunResult().Results.Single();

        // The generator keeps nothing of a file with errors: the edit stops at the compile step.
        Assert.Equal(IncrementalStepRunReason.Modified, ReasonFor(result, DnetGeneratorStepNames.Files, MovieLensPath));
        Assert.Equal(IncrementalStepRunReason.Unchanged, ReasonFor(result, DnetGeneratorStepNames.Compile, MovieLensPath));
        Assert.All(Outputs(result, DnetGeneratorStepNames.Emit), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Empty(result.Diagnostics);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName.StartsWith("MovieLens.", StringComparison.Ordinal));

        // The analyzer, which re-runs on every edit, reports the error at its new place.
        var before = AnalyzerTests.Analyze((MovieLensPath, broken)).Single(d => d.Id == "DNET0100").Location.GetLineSpan();
        var after = AnalyzerTests.Analyze((MovieLensPath, moved)).Single(d => d.Id == "DNET0100").Location.GetLineSpan();
        Assert.Equal(before.StartLinePosition.Line, after.StartLinePosition.Line);
        Assert.NotEqual(before.StartLinePosition.Character, after.StartLinePosition.Character);
    }

    [Fact]
    public void UnrelatedBuildPropertyChangesStopAtTheRootNamespaceStep()
    {
        var (driver, compilation) = Start();
        driver = driver.WithUpdatedAnalyzerConfigOptions(new TestOptionsProvider(rootNamespace: "LanguageExamples", new Dictionary<string, string> { ["/src/Unrelated.dnet"] = "X" }));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        // The two steps that read options run again and find equal values; everything after them stays cached.
        Assert.All(Outputs(result, DnetGeneratorStepNames.RootNamespace), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.All(Outputs(result, DnetGeneratorStepNames.Files), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.All(Outputs(result, DnetGeneratorStepNames.Compile), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(Outputs(result, DnetGeneratorStepNames.Emit), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void PipelineModelsHoldNoSymbolsSyntaxLocationsCompilationsOrAdditionalTexts()
    {
        var (driver, compilation) = Start();
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(AdditionalText), typeof(SemanticModel), typeof(AnalyzerConfigOptions), typeof(AnalyzerConfigOptionsProvider) };
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var walked = 0;
        foreach (var step in DnetSteps.Append(DnetGeneratorStepNames.RootNamespace).Append(DnetGeneratorStepNames.GpuReference))
        {
            foreach (var output in Outputs(result, step)) Walk(output.Value, $"{step}", forbidden, visited, ref walked);
        }
        Assert.True(walked > 100, $"only {walked} objects walked: the walk did not reach the models");
    }

    private static void Walk(object? value, string path, Type[] forbidden, HashSet<object> visited, ref int walked)
    {
        if (value is null) return;
        var type = value.GetType();
        foreach (var f in forbidden) Assert.False(f.IsAssignableFrom(type), $"{path} holds a {type.FullName}");
        if (type.IsPrimitive || type.IsEnum || value is string || value is decimal) return;
        if (!type.IsValueType && !visited.Add(value)) return;
        walked++;
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items) Walk(item, $"{path}[{i++}]", forbidden, visited, ref walked);
            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true) return;
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.GetValue(value), $"{path}.{field.Name}", forbidden, visited, ref walked);
        }
    }

    private static (GeneratorDriver Driver, Compilation Compilation) Start(string? movieLensText = null, bool gpu = false)
    {
        var files = new[]
        {
            new InMemoryAdditionalText(MovieLensPath, movieLensText ?? GeneratorHarness.Input("MovieLens").Text),
            new InMemoryAdditionalText(DeepPath, GeneratorHarness.Input("DeepAutoencoder").Text),
        };
        var driver = GeneratorHarness.CreateDriver(files, new TestOptionsProvider(rootNamespace: "LanguageExamples"));
        var compilation = TestCompilation.Create(new[] { "public static class UserCode { }" }, gpu: gpu);
        return (driver.RunGenerators(compilation), compilation);
    }

    private static GeneratorDriver Replace(GeneratorDriver driver, string path, string text)
    {
        var old = driver.GetRunResult().Results.Single().TrackedSteps[DnetGeneratorStepNames.Files]
            .SelectMany(s => s.Inputs).Select(i => i.Source.Outputs).SelectMany(o => o).Select(o => o.Value)
            .OfType<ValueTuple<AdditionalText, AnalyzerConfigOptionsProvider>>().Select(t => t.Item1).First(t => t.Path == path);
        return driver.ReplaceAdditionalText(old, new InMemoryAdditionalText(path, text));
    }

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step)
    {
        Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
        return result.TrackedSteps[step].SelectMany(s => s.Outputs);
    }

    /// <summary>The reason of the output of <paramref name="step"/> that belongs to the file at <paramref name="path"/>.</summary>
    private static IncrementalStepRunReason ReasonFor(GeneratorRunResult result, string step, string path) =>
        Outputs(result, step).Single(o => o.Value switch
        {
            Pipeline.DnetSourceFile f => f.Path == path,
            Pipeline.CompiledDnetFile c => c.Path == path,
            _ => throw new InvalidOperationException($"{step} outputs {o.Value.GetType().Name}, which names no file"),
        }).Reason;
}
