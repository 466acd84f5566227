using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.RegularExpressions;
using DestinyDsl.Analyzers;
using DestinyDsl.Language;
using DestinyDsl.SourceGenerator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace DestinyDsl.SourceGenerator.Tests;

/// <summary>
/// Random mutations of the valid examples through the analyzer and the generator (one in-process driver, reused):
/// nothing throws, no AD0001/CS8785/DNET0999, every diagnostic lies inside its file, files with errors generate
/// nothing, and whenever the front end finds no error the generated sources (model classes and GPU kernels) compile
/// with the runtime and the GPU runtime.
/// </summary>
public class RobustnessTests
{
    private const int Iterations = 10_000;
    private const int Seed = 20261201;
    // The analyzer sees mutants in batches (one CompilationWithAnalyzers per batch, one AdditionalFile per mutant).
    private const int AnalyzerBatch = 100;
    private static readonly Regex VolatileLines = new(@"#line \d+ |NetworkHash = ""[0-9a-f]+""|Mutant\d+", RegexOptions.Compiled);
    private readonly ITestOutputHelper _output;

    public RobustnessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void TenThousandMutationsOfTheExamplesNeverBreakTheAnalyzerOrTheGenerator()
    {
        var seeds = new[] { "MovieLens", "DeepAutoencoder", "DsstneBenchmark", "Coverage" }.Select(n => GeneratorHarness.Input(n).Text).ToArray();
        var mutator = new Mutator(Seed);
        var random = new Random(Seed);
        // The compilation references DestinyDsl.Runtime.Gpu: every valid mutant also gets (and compiles) its GPU kernels.
        var baseCompilation = TestCompilation.Create(new[] { "public static class UserCode { }" }, warningsAsErrors: false, gpu: true);
        AdditionalText current = new InMemoryAdditionalText("/src/Mutant.dnet", seeds[0]);
        var driver = GeneratorHarness.CreateDriver(new[] { current }, new TestOptionsProvider(rootNamespace: "Fuzz"));
        var compiled = new HashSet<string>(StringComparer.Ordinal);
        int valid = 0, withErrors = 0;
        var clock = Stopwatch.StartNew();
        var generatorTime = new Stopwatch();
        var analyzerTime = new Stopwatch();
        var compileTime = new Stopwatch();

        for (var first = 0; first < Iterations; first += AnalyzerBatch)
        {
            var batch = new List<(AdditionalText File, string Text, DnetCompilation Front)>();
            for (var i = first; i < Math.Min(Iterations, first + AnalyzerBatch); i++)
            {
                var path = $"/src/Mutant{i}.dnet";
                var text = mutator.Mutate(seeds[random.Next(seeds.Length)]);
                var context = $"iteration {i}, text:\n{text}";
                var file = new InMemoryAdditionalText(path, text);
                var front = DnetCompiler.Compile(text, path, "Fuzz");
                batch.Add((file, text, front));

                // The generator: never throws, reports nothing of the file's own problems, generates nothing for a
                // file with errors, and for a file without errors two sources per network (model class, GPU kernels) that compile.
                generatorTime.Start();
                driver = driver.ReplaceAdditionalText(current, file).RunGeneratorsAndUpdateCompilation(baseCompilation, out var output, out var generatorDiagnostics);
                generatorTime.Stop();
                current = file;
                var run = driver.GetRunResult().Results.Single();
                Assert.True(run.Exception is null, $"generator threw {run.Exception}; {context}");
                Assert.True(generatorDiagnostics.IsEmpty && run.Diagnostics.IsEmpty, $"generator reported {string.Join(", ", run.Diagnostics.Concat(generatorDiagnostics))}; {context}");
                if (front.HasErrors)
                {
                    withErrors++;
                    Assert.True(run.GeneratedSources.IsEmpty, $"a file with errors generated code; {context}");
                    continue;
                }

                valid++;
                Assert.Equal(2 * front.Networks.Count, run.GeneratedSources.Length);
                // Outputs that differ only in #line numbers, the source hash or the file name compile alike: compile each shape once.
                var key = VolatileLines.Replace(string.Join("\n", run.GeneratedSources.Select(s => s.SourceText.ToString())), "");
                if (!compiled.Add(key)) continue;
                compileTime.Start();
                var problems = TestCompilation.Problems(output).Where(p => !p.Contains(": info ", StringComparison.Ordinal)).ToList();
                compileTime.Stop();
                Assert.True(problems.Count == 0, $"generated code does not compile: {string.Join(Environment.NewLine, problems)}; {context}");
            }

            // The analyzer: no AD0001, no DNET0999, exactly the front end's diagnostics, each inside its file.
            analyzerTime.Start();
            var reported = Analyze(baseCompilation, batch.Select(b => b.File)).ToLookup(d => d.Location.GetLineSpan().Path);
            analyzerTime.Stop();
            foreach (var (file, text, front) in batch)
            {
                var context = $"{file.Path}, text:\n{text}";
                var diagnostics = reported[file.Path].ToList();
                foreach (var d in diagnostics)
                {
                    Assert.True(d.Id is not ("AD0001" or "DNET0999"), $"analyzer reported {d}; {context}");
                    AssertInside(d, file.Path, text, context);
                }
                Assert.True(front.Diagnostics.Count == diagnostics.Count, $"front end found {front.Diagnostics.Count} diagnostics, the analyzer reported {diagnostics.Count}; {context}");
            }
            Assert.DoesNotContain(reported, g => !batch.Any(b => b.File.Path == g.Key));
        }

        _output.WriteLine($"{Iterations} mutants in {clock.Elapsed.TotalSeconds:F1} s (generator {generatorTime.Elapsed.TotalSeconds:F1} s, analyzer {analyzerTime.Elapsed.TotalSeconds:F1} s, "
            + $"compiling {compileTime.Elapsed.TotalSeconds:F1} s): {withErrors} with errors, {valid} valid ({compiled.Count} distinct outputs compiled)");
        // The mutations must exercise both paths, or the test proves little.
        Assert.True(withErrors > Iterations / 4, $"only {withErrors} mutants had errors");
        Assert.True(valid > 100, $"only {valid} mutants were valid");
    }

    private static ImmutableArray<Diagnostic> Analyze(Compilation compilation, IEnumerable<AdditionalText> files)
    {
        var analyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DnetFileAnalyzer()),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(files.ToImmutableArray(), new TestOptionsProvider(rootNamespace: "Fuzz")),
                onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        return analyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    private static void AssertInside(Diagnostic d, string path, string text, string context)
    {
        Assert.True(d.Location.Kind == LocationKind.ExternalFile, $"{d} is not located in the .dnet file; {context}");
        var span = d.Location.GetLineSpan();
        Assert.Equal(path, span.Path);
        Assert.True(d.Location.SourceSpan.Start >= 0 && d.Location.SourceSpan.End <= text.Length, $"{d} lies outside the text; {context}");
        var lines = Microsoft.CodeAnalysis.Text.SourceText.From(text).Lines;
        Assert.Equal(lines.GetLinePositionSpan(d.Location.SourceSpan), span.Span);
    }
}
