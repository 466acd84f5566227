using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Tests;

/// <summary>Compiling snippets and asserting diagnostics at exact places.</summary>
internal static class Dnet
{
    public const string FilePath = "/src/test.dnet";

    /// <summary>Marks where a diagnostic is expected in a snippet; removed before compiling.</summary>
    public const char Marker = '$';

    public static DnetCompilation Compile(string text, string? defaultNamespace = "Tests.Default") =>
        DnetCompiler.Compile(text, FilePath, defaultNamespace);

    /// <summary>Compiles text that must have no errors and returns its only network.</summary>
    public static NetworkModel Network(string text)
    {
        var compilation = Compile(text);
        AssertNoErrors(compilation);
        return Assert.Single(compilation.Networks);
    }

    public static void AssertNoErrors(DnetCompilation compilation)
    {
        var errors = compilation.Diagnostics.Where(d => d.Severity == DnetSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "unexpected errors:\n" + string.Join("\n", errors));
    }

    public static string Errors(DnetCompilation compilation) => string.Join("\n", compilation.Diagnostics);

    /// <summary>Removes the <see cref="Marker"/> and returns the 1-based line and column it stood at.</summary>
    public static (string Text, int Line, int Column) Unmark(string marked)
    {
        var offset = marked.IndexOf(Marker);
        Assert.True(offset >= 0, "snippet has no marker");
        var text = marked.Remove(offset, 1);
        var line = 1;
        var column = 1;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        return (text, line, column);
    }

    /// <summary>Asserts that <paramref name="id"/> is reported at exactly (line, column), printed 1-based.</summary>
    public static DnetDiagnostic AssertReported(DnetCompilation compilation, string id, int line, int column)
    {
        var match = compilation.Diagnostics.FirstOrDefault(d => d.Id == id && d.Span.StartLine + 1 == line && d.Span.StartColumn + 1 == column);
        Assert.True(match is not null, $"expected {id} at ({line},{column}); got:\n{Errors(compilation)}");
        return match!;
    }

    /// <summary>A small valid network: sparse autoencoder items → h1 → scores (lines 1–5).</summary>
    public const string Valid = """
        network N {
            input  items  : sparse auto
            hidden h1     : 16 sigmoid
            output scores : sparse auto sigmoid target items
        }
        """;

    /// <summary>The valid network with <paramref name="extra"/> lines added before the closing brace (from line 5).</summary>
    public static string With(string extra) => Valid.Substring(0, Valid.LastIndexOf('}')) + extra + "\n}\n";
}
