using DestinyDsl.Language.Diagnostics;

namespace DestinyDsl.Language.Tests;

public class DiagnosticTests
{
    /// <summary>Ids triggered by dedicated tests instead of a snippet (with the test that does it).</summary>
    private static readonly string[] TriggeredElsewhere = { "DNET0999" /* InternalErrorIsReportedInsteadOfThrown */ };

    [Theory]
    [MemberData(nameof(DiagnosticCases.All), MemberType = typeof(DiagnosticCases))]
    public void SnippetReportsItsDiagnosticAtTheMarkedPlace(string id, string snippet)
    {
        var (text, line, column) = Dnet.Unmark(snippet);
        var compilation = Dnet.Compile(text);
        var diagnostic = Dnet.AssertReported(compilation, id, line, column);
        var descriptor = DiagnosticCatalog.Find(id)!;
        Assert.Equal(descriptor.Severity, diagnostic.Severity);
        Assert.Equal(Dnet.FilePath, diagnostic.FilePath);
        Assert.DoesNotContain("{", diagnostic.Message.Replace("'{'", string.Empty));
        if (descriptor.Severity == DnetSeverity.Error) Assert.Empty(compilation.Networks);
    }

    [Fact]
    public void EveryCatalogIdHasATriggeringTest()
    {
        var covered = DiagnosticCases.Cases.Select(c => c.Id).Concat(TriggeredElsewhere).ToHashSet();
        var missing = DiagnosticCatalog.All.Select(d => d.Id).Where(id => !covered.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "ids without a test: " + string.Join(", ", missing));
    }

    [Fact]
    public void InternalErrorIsReportedInsteadOfThrown()
    {
        var compilation = DnetCompiler.Compile(Dnet.Valid, Dnet.FilePath, null, _ => throw new InvalidOperationException("boom"));
        var diagnostic = Dnet.AssertReported(compilation, "DNET0999", 1, 1);
        Assert.Contains("boom", diagnostic.Message);
        Assert.Empty(compilation.Networks);
    }

    [Fact]
    public void CatalogIdsAreUniqueOrderedAndInTheirRanges()
    {
        var ids = DiagnosticCatalog.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), ids);
        foreach (var d in DiagnosticCatalog.All)
        {
            Assert.Matches("^DNET[0-9]{4}$", d.Id);
            var number = int.Parse(d.Id.Substring(4));
            var expectedCategory = number switch
            {
                < 100 => DiagnosticCatalog.SyntaxCategory,
                < 200 => DiagnosticCatalog.SemanticsCategory,
                _ => DiagnosticCatalog.UsageCategory,
            };
            Assert.Equal(expectedCategory, d.Category);
            if (number is >= 200 and < 300) Assert.Equal(DnetSeverity.Warning, d.Severity);
            else Assert.Equal(DnetSeverity.Error, d.Severity);
            Assert.False(string.IsNullOrWhiteSpace(d.Title));
            Assert.Null(d.HelpLink(null));
            Assert.Equal("https://example.org/diagnostics.md#" + d.Id.ToLowerInvariant(), d.HelpLink("https://example.org/diagnostics.md"));
        }
    }

    [Fact]
    public void AllListsEveryDescriptorProperty()
    {
        var declared = typeof(DiagnosticCatalog).GetProperties()
            .Where(p => p.PropertyType == typeof(DiagnosticDescriptorInfo))
            .Select(p => (DiagnosticDescriptorInfo)p.GetValue(null)!)
            .ToList();
        Assert.Equal(declared.Select(d => d.Id).OrderBy(i => i), DiagnosticCatalog.All.Select(d => d.Id).OrderBy(i => i));
    }

    /// <summary>Ids are a public contract: this list only ever grows.</summary>
    [Fact]
    public void AssignedIdsNeverChange()
    {
        var assigned = new[]
        {
            "DNET0001 Unexpected character", "DNET0002 Unterminated block comment", "DNET0003 Invalid number",
            "DNET0004 Expected token", "DNET0005 Unexpected token", "DNET0006 Network block not closed",
            "DNET0007 Unknown keyword", "DNET0008 Nesting too deep", "DNET0009 Keyword used as a name",
            "DNET0010 Positional argument after a named argument", "DNET0100 Unknown name", "DNET0101 Unknown argument",
            "DNET0102 Clause not allowed on this layer", "DNET0103 Too many arguments", "DNET0104 Duplicate argument",
            "DNET0105 Missing argument", "DNET0106 Duplicate layer name", "DNET0107 Layer names collide in C#",
            "DNET0108 Duplicate network name", "DNET0109 Duplicate layer clause", "DNET0110 Duplicate statement",
            "DNET0111 Unknown layer", "DNET0112 Cycle between layers", "DNET0113 No input layer", "DNET0114 No output layer",
            "DNET0115 Output without a target", "DNET0116 Target is not an input layer", "DNET0117 Invalid width",
            "DNET0118 Probability out of range", "DNET0119 Sparseness target out of range", "DNET0120 Learning rate not positive",
            "DNET0121 Invalid count", "DNET0122 Value out of range", "DNET0123 Empty search range", "DNET0124 Log range not positive",
            "DNET0125 Fractional value in an integer range", "DNET0126 Default outside the search range", "DNET0127 Duplicate choice",
            "DNET0128 Value cannot be tuned", "DNET0129 Name is not a valid C# identifier", "DNET0130 Name is a C# keyword",
            "DNET0131 Name collides with a generated member", "DNET0132 Loss needs outputs in (0, 1)",
            "DNET0133 data_scaled_marginal_cross_entropy with softmax", "DNET0134 auto width on a hidden layer",
            "DNET0135 sparse on a hidden layer", "DNET0136 Sparse output and dense target (or the reverse)",
            "DNET0137 Output width differs from its target's", "DNET0138 Namespace declared twice", "DNET0139 Namespace after a network",
            "DNET0140 Not supported yet", "DNET0141 Wrong kind of value", "DNET0142 Layer without a source",
            "DNET0143 Output layer used as a source", "DNET0144 Duplicate source", "DNET0145 Network name collides with a generated class",
            "DNET0146 Train setting without a name", "DNET0170 Tied edge does not feed the layer", "DNET0171 Tied edge does not exist",
            "DNET0172 Tied layer width differs", "DNET0173 Edge tied twice", "DNET0174 Tied edge is itself tied", "DNET0175 max_norm on a tied layer",
            "DNET0200 No network in the file", "DNET0201 Unusual loss and activation",
            "DNET0202 Layer does not reach an output", "DNET0203 Unused input layer", "DNET0204 Sparseness penalty needs activations in (0, 1)",
            "DNET0205 Denoising without a sparse input", "DNET0206 Marginal targets inverted", "DNET0207 Softmax over one unit",
            "DNET0208 Learning-rate schedule has no effect", "DNET0209 Warm-up lasts the whole training", "DNET0999 Internal compiler error",
        };
        foreach (var entry in assigned)
        {
            var id = entry.Substring(0, 8);
            var descriptor = DiagnosticCatalog.Find(id);
            Assert.True(descriptor is not null, $"{id} disappeared from the catalog");
            Assert.Equal(entry.Substring(9), descriptor!.Title);
        }
    }

    [Fact]
    public void DiagnosticsPrintAsCompilerMessages()
    {
        var compilation = Dnet.Compile("network N {\n    input items : sparse auto\n    hidden h1 : 16 sigmiod\n    output scores : sparse auto sigmoid target items\n}");
        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal("/src/test.dnet(3,20): error DNET0100: Unknown activation or layer modifier 'sigmiod'; did you mean 'sigmoid'?", diagnostic.ToString());
    }

    [Fact]
    public void DiagnosticsAreSortedByPosition()
    {
        var compilation = Dnet.Compile("network N {\n    input items : sparse auto\n    hidden h1 : 0 sigmiod dropout(2)\n    output scores : sparse auto relu target itemz\n    optimizer sgd(learning_rate = -1)\n}");
        var starts = compilation.Diagnostics.Select(d => d.Span.Start).ToList();
        Assert.True(starts.Count >= 5, Dnet.Errors(compilation));
        Assert.Equal(starts.OrderBy(s => s), starts);
    }
}
