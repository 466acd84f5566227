using System.Text.RegularExpressions;
using DestinyDsl.Language.Diagnostics;

namespace DestinyDsl.Language.Tests;

/// <summary>docs/diagnostics.md and docs/language.md stay true to the compiler.</summary>
public class DocumentationTests
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs", name)).Replace("\r\n", "\n");

    /// <summary>The sections of diagnostics.md by id: the text from "## DNETxxxx" to the next heading.</summary>
    private static Dictionary<string, string> DiagnosticSections()
    {
        var text = Read("diagnostics.md");
        var sections = new Dictionary<string, string>();
        foreach (Match match in Regex.Matches(text, @"^## (DNET\d{4})\n(.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline))
            sections[match.Groups[1].Value] = match.Groups[2].Value;
        return sections;
    }

    private static IEnumerable<string> DnetBlocks(string markdown) =>
        Regex.Matches(markdown, @"```dnet\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value);

    [Fact]
    public void EveryIdHasASectionWithItsSeverityAndExactMessage()
    {
        var sections = DiagnosticSections();
        var problems = new List<string>();
        foreach (var descriptor in DiagnosticCatalog.All)
        {
            if (!sections.TryGetValue(descriptor.Id, out var section))
            {
                problems.Add($"{descriptor.Id}: no '## {descriptor.Id}' section");
                continue;
            }
            var message = descriptor.MessageFormat.Replace("{{", "{").Replace("}}", "}");
            if (!section.Contains($"Message: `{message}`")) problems.Add($"{descriptor.Id}: message line differs from the catalog: {message}");
            if (!section.Contains($"— {descriptor.Severity.ToString().ToLowerInvariant()}, `{descriptor.Category}`")) problems.Add($"{descriptor.Id}: severity or category differs");
            if (!section.Contains("**Fix:**")) problems.Add($"{descriptor.Id}: no fix");
        }
        foreach (var id in sections.Keys.Where(id => DiagnosticCatalog.Find(id) is null)) problems.Add($"{id}: documented but not in the catalog");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryDocumentedExampleReportsItsDiagnostic()
    {
        var problems = new List<string>();
        foreach (var (id, section) in DiagnosticSections())
        {
            var example = DnetBlocks(section).FirstOrDefault();
            if (example is null)
            {
                if (id != "DNET0999") problems.Add($"{id}: no example");
                continue;
            }
            var compilation = Dnet.Compile(example);
            if (!compilation.Diagnostics.Any(d => d.Id == id))
                problems.Add($"{id}: its example reports {string.Join(", ", compilation.Diagnostics.Select(d => d.Id))}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryExampleOfTheLanguageReferenceCompilesCleanly()
    {
        var blocks = DnetBlocks(Read("language.md")).ToList();
        Assert.True(blocks.Count >= 3);
        foreach (var block in blocks)
        {
            var compilation = Dnet.Compile(block);
            Assert.True(compilation.Diagnostics.Count == 0, block + "\n" + Dnet.Errors(compilation));
            Assert.NotEmpty(compilation.Networks);
        }
    }

    [Fact]
    public void TheLanguageReferenceShowsBothContractExamplesVerbatim()
    {
        var language = Read("language.md");
        Assert.Contains(Examples.MovieLens.Replace("\r\n", "\n"), language);
        Assert.Contains(Examples.DeepAutoencoder.Replace("\r\n", "\n"), language);
    }

    [Fact]
    public void TheLanguageReferenceNamesEveryBuiltIn()
    {
        var language = Read("language.md");
        var names = Constructs.Vocabulary.Activations.Concat(Constructs.Vocabulary.Losses).Concat(Constructs.Vocabulary.Optimizers)
            .Concat(Constructs.Vocabulary.InitSchemes).Concat(Constructs.Vocabulary.Modifiers).Concat(Constructs.Vocabulary.Schedules).Select(c => c.Name)
            .Concat(Constructs.Vocabulary.Schedules.SelectMany(s => s.Parameters).Select(p => p.Name))
            .Concat(Constructs.Vocabulary.Train.Parameters.Select(p => p.Name))
            .Concat(Constructs.Vocabulary.UnsupportedLayerClauses.Keys).Concat(Constructs.Vocabulary.UnsupportedTrainSettings.Keys)
            .Concat(Constructs.Vocabulary.UnsupportedStatements.Keys).Concat(Syntax.Keywords.All);
        var missing = names.Distinct().Where(n => !language.Contains($"`{n}") && !language.Contains($" {n} ")).ToList();
        Assert.True(missing.Count == 0, "not documented: " + string.Join(", ", missing));
    }
}
