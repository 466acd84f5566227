using System.Collections.Immutable;
using DestinyDsl.Analyzers;
using DestinyDsl.Language;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.SourceGenerator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DestinyDsl.SourceGenerator.Tests;

/// <summary>
/// The analyzer reports every diagnostic of every .dnet file (ids, severities, file, line, column), from the one
/// catalog; the generator reports none of them, so each is seen exactly once.
/// </summary>
public class AnalyzerTests
{
    private const string Broken = """
        namespace Consumer.Broken;

        network Broken
        {
            input  items  : sparse auto
            hidden h1     : 16 rleu
            output scores : sparse auto sigmoid <- h1 target items

            loss      cross_entropy
            optimizer sgd(learning_rat = 0.1)
        }
        """;

    [Fact]
    public void ErrorsAreReportedWithIdSeverityFileLineAndColumn()
    {
        var diagnostics = Analyze(("/src/Broken.dnet", Broken));
        Assert.Equal(new[]
        {
            "/src/Broken.dnet(6,24): error DNET0100",
            "/src/Broken.dnet(10,19): error DNET0101",
        }, diagnostics.Select(Render));
        Assert.Contains("'rleu'", diagnostics[0].GetMessage(), StringComparison.Ordinal);
        Assert.Contains("did you mean 'relu'", diagnostics[0].GetMessage(), StringComparison.Ordinal);
        // No help-link address configured: no link (never a made-up address).
        Assert.Equal("", diagnostics[0].Descriptor.HelpLinkUri);
        // The span covers the bad token exactly.
        Assert.Equal("rleu", Broken.Substring(diagnostics[0].Location.SourceSpan.Start, diagnostics[0].Location.SourceSpan.Length));
    }

    [Fact]
    public void WarningsAreReportedAsWarnings()
    {
        var (path, text) = GeneratorHarness.Input("Coverage");
        var diagnostics = Analyze((path, text));
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Contains(diagnostics, d => d.Id == "DNET0201");
    }

    [Fact]
    public void EveryFrontEndDiagnosticAppearsOnceWithTheSamePosition()
    {
        // A file with many mistakes: the analyzer reports exactly what the front end found, in the same places.
        var text = Broken.Replace("sparse auto sigmoid", "sparse auto sigmod").Replace("batch", "bach") + "\nnetwork Broken { input x : 0 }\n";
        var expected = DnetCompiler.Compile(text, "/src/Many.dnet").Diagnostics
            .Select(d => $"/src/Many.dnet({d.Span.StartLine + 1},{d.Span.StartColumn + 1}): {d.Severity.ToString().ToLowerInvariant()} {d.Id}").ToArray();
        Assert.True(expected.Length >= 3, string.Join(", ", expected));
        Assert.Equal(expected, Analyze(("/src/Many.dnet", text)).Select(Render));
    }

    [Fact]
    public void TheGeneratorReportsNoneOfTheFilesDiagnosticsAndGeneratesNothingForIt()
    {
        var (result, _) = GeneratorHarness.Run(new[] { ("/src/Broken.dnet", Broken), GeneratorHarness.Input("MovieLens") });
        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { "MovieLens.MovieLensAutoencoder.g.cs" }, result.GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void FilesThatAreNotDnetAreIgnored()
    {
        Assert.Empty(Analyze(("/src/notes.txt", "this is not a network"), ("/src/data.csv", "1,2,3")));
    }

    [Fact]
    public void SupportedDiagnosticsAreTheCatalogWithOneInternalError()
    {
        var supported = new DnetFileAnalyzer().SupportedDiagnostics;
        Assert.Equal(DiagnosticCatalog.All.Select(d => d.Id), supported.Select(d => d.Id));
        Assert.Equal(DiagnosticCatalog.InternalError.Id, supported.Single(d => d.Id == "DNET0999").Id);
        Assert.Equal("{0}", supported.Single(d => d.Id == "DNET0999").MessageFormat.ToString());
        foreach (var info in DiagnosticCatalog.All)
        {
            var d = supported.Single(s => s.Id == info.Id);
            Assert.Equal(info.Category, d.Category);
            Assert.Equal("", d.HelpLinkUri);
            Assert.Equal(info.Severity == DnetSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, d.DefaultSeverity);
        }
    }

    [Fact]
    public void UnreadableFileIsReportedOnceByTheGenerator()
    {
        var driver = GeneratorHarness.CreateDriver(new[] { new InMemoryAdditionalText("/src/Gone.dnet", null) });
        var result = driver.RunGenerators(TestCompilation.Create(new[] { "" })).GetRunResult().Results.Single();
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("DNET0999", d.Id);
        Assert.Equal("/src/Gone.dnet", d.Location.GetLineSpan().Path);
        Assert.Contains("internal error in the DestinyDsl generator: could not read '/src/Gone.dnet'", d.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(AnalyzeTexts(new InMemoryAdditionalText("/src/Gone.dnet", null)));
    }

    /// <summary>Runs the analyzer over AdditionalFiles next to an empty C# compilation; returns its diagnostics in order.</summary>
    [Fact]
    public void HelpLinksPointAtTheConfiguredDiagnosticsReference()
    {
        var diagnostics = AnalyzeWith(new TestOptionsProvider(diagnosticsHelpUrl: "file:///opt/pkgs/destinydsl/0.1.0/docs/diagnostics.md"),
            new InMemoryAdditionalText("/src/Broken.dnet", Broken));
        Assert.Equal(new[] { "file:///opt/pkgs/destinydsl/0.1.0/docs/diagnostics.md#dnet0100", "file:///opt/pkgs/destinydsl/0.1.0/docs/diagnostics.md#dnet0101" },
            diagnostics.Select(d => d.Descriptor.HelpLinkUri));
        var none = AnalyzeWith(new TestOptionsProvider(diagnosticsHelpUrl: "none"), new InMemoryAdditionalText("/src/Broken.dnet", Broken));
        Assert.All(none, d => Assert.Equal("", d.Descriptor.HelpLinkUri));
    }

    internal static IReadOnlyList<Diagnostic> Analyze(params (string Path, string Text)[] files) =>
        AnalyzeTexts(files.Select(f => new InMemoryAdditionalText(f.Path, f.Text)).ToArray());

    internal static IReadOnlyList<Diagnostic> AnalyzeTexts(params AdditionalText[] files) => AnalyzeWith(new TestOptionsProvider(), files);

    private static IReadOnlyList<Diagnostic> AnalyzeWith(TestOptionsProvider options, params AdditionalText[] files)
    {
        // Warnings stay warnings here (a TreatWarningsAsErrors project would make lint warnings errors, as for C#).
        var compilation = TestCompilation.Create(new[] { "public static class UserCode { }" }, warningsAsErrors: false);
        var analyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DnetFileAnalyzer()),
            new AnalyzerOptions(files.ToImmutableArray(), options));
        var all = analyzers.GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        return all.OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ToList();
    }

    private static string Render(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {d.Severity.ToString().ToLowerInvariant()} {d.Id}";
    }
}
