using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Syntax;

/// <summary>A parsed <c>.dnet</c> file: its text, tokens, syntax tree and syntax diagnostics.</summary>
public sealed class DnetSyntaxTree
{
    private DnetSyntaxTree(SourceText text, string filePath, IReadOnlyList<SyntaxToken> tokens, CompilationUnitSyntax root, IReadOnlyList<DnetDiagnostic> diagnostics, long parserWork)
    {
        Text = text;
        FilePath = filePath;
        Tokens = tokens;
        Root = root;
        Diagnostics = diagnostics;
        ParserWork = parserWork;
    }

    /// <summary>The source text.</summary>
    public SourceText Text { get; }

    /// <summary>Path used in diagnostics.</summary>
    public string FilePath { get; }

    /// <summary>Every token, ending with <see cref="SyntaxKind.EndOfFile"/>.</summary>
    public IReadOnlyList<SyntaxToken> Tokens { get; }

    /// <summary>The tree (always whole, even for broken input).</summary>
    public CompilationUnitSyntax Root { get; }

    /// <summary>Lexer and parser diagnostics, in the order found.</summary>
    public IReadOnlyList<DnetDiagnostic> Diagnostics { get; }

    /// <summary>Token inspections the parser made: proportional to <see cref="Tokens"/> (tests check it is linear).</summary>
    public long ParserWork { get; }

    /// <summary>Lexes and parses <paramref name="text"/>. Never throws; linear in the length of the text.</summary>
    public static DnetSyntaxTree Parse(string? text, string filePath = "")
    {
        var source = new SourceText(text);
        var diagnostics = new DiagnosticBag(filePath);
        var tokens = Lexer.Lex(source, diagnostics);
        var root = Parser.Parse(tokens, source, diagnostics, out var work);
        return new DnetSyntaxTree(source, filePath ?? string.Empty, tokens, root, diagnostics.Items, work);
    }
}
