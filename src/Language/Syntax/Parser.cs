using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Syntax;

/// <summary>
/// Hand-written recursive-descent parser over the token list. Missing tokens are synthesised so the tree is
/// always whole; unexpected tokens are skipped up to a synchronisation point (a statement keyword, a brace, a
/// new line's first word…) so one mistake never hides the next. Every loop consumes a token or exits, and
/// nesting is bounded by <see cref="MaxNesting"/>, so time is linear and the stack cannot overflow.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>Deepest nesting of argument lists accepted (the language needs two: <c>init(gaussian(0.01))</c>).</summary>
    public const int MaxNesting = 16;

    private readonly List<SyntaxToken> _tokens;
    private readonly SourceText _source;
    private readonly DiagnosticBag _diagnostics;
    private int _position;
    private int _lastEnd;
    private int _lastErrorStart = -1;
    private int _depth;

    private Parser(List<SyntaxToken> tokens, SourceText source, DiagnosticBag diagnostics)
    {
        _tokens = tokens;
        _source = source;
        _diagnostics = diagnostics;
    }

    /// <summary>Token inspections so far: the work counter tests use to check the parser is linear.</summary>
    public long Work { get; private set; }

    public static CompilationUnitSyntax Parse(List<SyntaxToken> tokens, SourceText source, DiagnosticBag diagnostics, out long work)
    {
        var parser = new Parser(tokens, source, diagnostics);
        var root = parser.ParseCompilationUnit();
        work = parser.Work;
        return root;
    }

    // ---- token access --------------------------------------------------------------------------------------

    private SyntaxToken Current
    {
        get
        {
            Work++;
            return _tokens[_position];
        }
    }

    private SyntaxKind CurrentKind => Current.Kind;

    private SyntaxToken Peek(int offset)
    {
        Work++;
        var i = _position + offset;
        return i < _tokens.Count ? _tokens[i] : _tokens[_tokens.Count - 1];
    }

    private SyntaxToken Advance()
    {
        var token = Current;
        if (token.Kind != SyntaxKind.EndOfFile)
        {
            _position++;
            _lastEnd = token.End;
        }
        return token;
    }

    private SyntaxToken Missing(SyntaxKind kind) =>
        new(kind, string.Empty, _source.GetSpan(_lastEnd, 0), false, true, double.NaN);

    private SyntaxToken Expect(SyntaxKind kind, string description)
    {
        if (CurrentKind == kind) return Advance();
        ReportExpected(description);
        return Missing(kind);
    }

    private SourceSpan SpanFrom(int start) => _source.GetSpanBetween(start, Math.Max(start, _lastEnd));

    /// <summary>Start offset for a node beginning at the current token.</summary>
    private int StartOfCurrent => Current.Span.Start;

    // ---- reporting -----------------------------------------------------------------------------------------

    private void Report(DiagnosticDescriptorInfo descriptor, SourceSpan span, params object?[] args)
    {
        // One syntax error per position: a missing token and the skipped junk after it are one mistake.
        if (span.Start == _lastErrorStart) return;
        _lastErrorStart = span.Start;
        _diagnostics.Report(descriptor, span, args);
    }

    /// <summary>
    /// "Expected X, found Y": at the found token when it is on the same line, otherwise just after the previous
    /// token, where the missing piece belongs.
    /// </summary>
    private void ReportExpected(string description)
    {
        var found = Current;
        var span = found.IsFirstOnLine || found.Kind == SyntaxKind.EndOfFile ? _source.GetSpan(_lastEnd, 0) : found.Span;
        Report(DiagnosticCatalog.ExpectedToken, span, description, Describe(found));
    }

    internal static string Describe(SyntaxToken token) => token.Kind switch
    {
        SyntaxKind.EndOfFile => "end of file",
        SyntaxKind.Identifier => $"'{Lexer.Abbreviate(token.Text)}'",
        SyntaxKind.Number => $"the number {Lexer.Abbreviate(token.Text)}",
        _ => $"'{Lexer.Abbreviate(token.Text)}'",
    };

    /// <summary>Skips at least one token, then up to the first token <paramref name="stop"/> accepts, tracking parentheses.</summary>
    private void SkipUntil(Func<SyntaxToken, int, bool> stop)
    {
        var parenDepth = 0;
        var first = true;
        while (CurrentKind != SyntaxKind.EndOfFile)
        {
            var token = Current;
            if (!first && stop(token, parenDepth)) return;
            first = false;
            if (token.Kind == SyntaxKind.OpenParen) parenDepth++;
            else if (token.Kind == SyntaxKind.CloseParen && parenDepth > 0) parenDepth--;
            Advance();
        }
    }

    /// <summary>Tokens that no argument list, value or clause can contain: recovery never skips past them.</summary>
    private static bool IsHardStop(SyntaxToken token) =>
        token.Kind is SyntaxKind.EndOfFile or SyntaxKind.OpenBrace or SyntaxKind.CloseBrace
        || Keywords.IsStatementKeyword(token.Kind) || Keywords.IsTopLevelKeyword(token.Kind);

    /// <summary>Where a network body may resume after junk.</summary>
    private static bool IsStatementSync(SyntaxToken token) =>
        IsHardStop(token) || (token.IsFirstOnLine && token.Kind == SyntaxKind.Identifier);

    // ---- file ----------------------------------------------------------------------------------------------

    private CompilationUnitSyntax ParseCompilationUnit()
    {
        var declarations = new List<DeclarationSyntax>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case SyntaxKind.EndOfFile:
                    return new CompilationUnitSyntax(_source.GetSpan(0, _source.Length), declarations, token);
                case SyntaxKind.NamespaceKeyword:
                    declarations.Add(ParseNamespace());
                    break;
                case SyntaxKind.NetworkKeyword:
                    declarations.Add(ParseNetwork());
                    break;
                default:
                    var guess = token.Kind == SyntaxKind.Identifier ? Suggestions.Best(token.Text, Keywords.TopLevelWords) : null;
                    if (guess is not null)
                    {
                        Report(DiagnosticCatalog.UnknownKeyword, token.Span, token.Text, "'network' or 'namespace'", Suggestions.Suffix(token.Text, guess));
                        declarations.Add(guess == "network" ? ParseNetwork() : ParseNamespace());
                    }
                    else
                    {
                        var hint = Keywords.IsStatementKeyword(token.Kind) ? "'network' or 'namespace' (layers and settings belong inside a network block)" : "'network' or 'namespace'";
                        Report(DiagnosticCatalog.UnexpectedToken, token.Span, Describe(token), hint);
                        SkipUntil((t, _) => Keywords.IsTopLevelKeyword(t.Kind) || (t.IsFirstOnLine && t.Kind == SyntaxKind.Identifier && Suggestions.Best(t.Text, Keywords.TopLevelWords) is not null));
                    }
                    break;
            }
        }
    }

    private NamespaceDeclarationSyntax ParseNamespace()
    {
        var start = StartOfCurrent;
        var keyword = Advance();
        var parts = new List<SyntaxToken> { ExpectIdentifier("a namespace name") };
        while (CurrentKind == SyntaxKind.Dot)
        {
            Advance();
            parts.Add(ExpectIdentifier("a namespace name after '.'"));
        }
        var semicolon = Expect(SyntaxKind.Semicolon, "';' after the namespace name");
        return new NamespaceDeclarationSyntax(SpanFrom(start), keyword, parts, semicolon);
    }

    private SyntaxToken ExpectIdentifier(string description)
    {
        if (CurrentKind == SyntaxKind.Identifier) return Advance();
        ReportExpected(description);
        return Missing(SyntaxKind.Identifier);
    }

    /// <summary>
    /// A name (network or layer). A reserved word followed by what comes after a name (<paramref name="follower"/>)
    /// is taken as the name with DNET0009, so the rest of the declaration still parses.
    /// </summary>
    private SyntaxToken ExpectName(string what, SyntaxKind follower)
    {
        var token = Current;
        if (token.Kind == SyntaxKind.Identifier) return Advance();
        if (Keywords.IsKeyword(token.Kind) && Peek(1).Kind == follower)
        {
            Report(DiagnosticCatalog.KeywordAsName, token.Span, token.Text, what);
            var taken = Advance();
            return new SyntaxToken(SyntaxKind.Identifier, taken.Text, taken.Span, taken.IsFirstOnLine, true, double.NaN);
        }
        ReportExpected($"a {what} name");
        return Missing(SyntaxKind.Identifier);
    }
}
