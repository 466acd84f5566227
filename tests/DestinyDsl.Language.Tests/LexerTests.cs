using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Syntax;
using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Tests;

public class LexerTests
{
    private static IReadOnlyList<SyntaxToken> Tokens(string text) => Lex(text).Tokens;

    private static (List<SyntaxToken> Tokens, IReadOnlyList<DnetDiagnostic> Diagnostics) Lex(string text)
    {
        var bag = new DiagnosticBag("x.dnet");
        var tokens = Lexer.Lex(new SourceText(text), bag);
        return (tokens, bag.Items);
    }

    [Fact]
    public void TokensCarryKindTextAndExactSpans()
    {
        var tokens = Tokens("hidden h2 : 1024 tune(256 .. 4096, log)\n  <- h1, x");
        Assert.Equal(new[]
        {
            SyntaxKind.HiddenKeyword, SyntaxKind.Identifier, SyntaxKind.Colon, SyntaxKind.Number, SyntaxKind.TuneKeyword,
            SyntaxKind.OpenParen, SyntaxKind.Number, SyntaxKind.DotDot, SyntaxKind.Number, SyntaxKind.Comma, SyntaxKind.Identifier,
            SyntaxKind.CloseParen, SyntaxKind.Arrow, SyntaxKind.Identifier, SyntaxKind.Comma, SyntaxKind.Identifier, SyntaxKind.EndOfFile,
        }, tokens.Select(t => t.Kind));
        var arrow = tokens[12];
        Assert.Equal("<-", arrow.Text);
        Assert.Equal((42, 2, 1, 2), (arrow.Span.Start, arrow.Span.Length, arrow.Span.StartLine, arrow.Span.StartColumn));
        Assert.True(arrow.IsFirstOnLine);
        Assert.False(tokens[13].IsFirstOnLine);
        Assert.Equal(256, tokens[6].Value);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("256", 256)]
    [InlineData("0.01", 0.01)]
    [InlineData("1e-4", 1e-4)]
    [InlineData("2.5E+3", 2500)]
    [InlineData("7e2", 700)]
    [InlineData(".5", 0.5)]
    [InlineData("00012", 12)]
    public void Numbers(string text, double value)
    {
        var token = Tokens(text)[0];
        Assert.Equal(SyntaxKind.Number, token.Kind);
        Assert.Equal(value, token.Value);
        Assert.Equal(text, token.Text);
    }

    [Fact]
    public void ARangeIsTwoNumbersAroundDotDotEvenWithoutSpaces()
    {
        Assert.Equal(new[] { SyntaxKind.Number, SyntaxKind.DotDot, SyntaxKind.Number, SyntaxKind.EndOfFile }, Tokens("1..2").Select(t => t.Kind));
        Assert.Equal(new[] { SyntaxKind.Number, SyntaxKind.DotDot, SyntaxKind.Number, SyntaxKind.EndOfFile }, Tokens("1.5..2.5").Select(t => t.Kind));
    }

    [Fact]
    public void KeywordsAreLowerCaseAndCaseSensitive()
    {
        Assert.Equal(SyntaxKind.HiddenKeyword, Tokens("hidden")[0].Kind);
        Assert.Equal(SyntaxKind.Identifier, Tokens("Hidden")[0].Kind);
        Assert.Equal(SyntaxKind.Identifier, Tokens("sigmoid")[0].Kind);
        Assert.Equal(SyntaxKind.Identifier, Tokens("_under_score9")[0].Kind);
    }

    [Fact]
    public void CommentsAndWhitespaceAreSkippedButCountLines()
    {
        var tokens = Tokens("a // line comment\n/* block\n comment */ b\r\nc\u2028d");
        Assert.Equal(new[] { "a", "b", "c", "d" }, tokens.Take(4).Select(t => t.Text));
        Assert.Equal(new[] { 0, 2, 3, 4 }, tokens.Take(4).Select(t => t.Span.StartLine));
        Assert.Equal(new[] { true, true, true, true }, tokens.Take(4).Select(t => t.IsFirstOnLine));
        Assert.Equal(12, tokens[1].Span.StartColumn);
    }

    [Fact]
    public void CrLfCountsAsOneLineBreak()
    {
        var tree = DnetSyntaxTree.Parse("a\r\nb\rc\nd");
        Assert.Equal(new[] { 0, 1, 2, 3 }, tree.Tokens.Take(4).Select(t => t.Span.StartLine));
        Assert.Equal(4, tree.Text.LineCount);
        Assert.Equal(new[] { 0, 3, 5, 7 }, tree.Tokens.Take(4).Select(t => t.Span.Start));
    }

    [Fact]
    public void UnexpectedCharactersAreReportedOncePerRunAndSkipped()
    {
        var tree = Lex("a @@# b ¤");
        Assert.Equal(new[] { "a", "b" }, tree.Tokens.Take(2).Select(t => t.Text));
        Assert.Equal(2, tree.Diagnostics.Count);
        Assert.All(tree.Diagnostics, d => Assert.Equal("DNET0001", d.Id));
        Assert.Equal((2, 3), (tree.Diagnostics[0].Span.Start, tree.Diagnostics[0].Span.Length));
        Assert.Contains("'¤' (U+00A4)", tree.Diagnostics[1].Message);
    }

    [Theory]
    [InlineData("128sigmoid", "'sigmoid' cannot follow the digits")]
    [InlineData("1e", "digits expected after the exponent")]
    [InlineData("1e+", "digits expected after the exponent")]
    [InlineData("1e400", "too large")]
    public void MalformedNumbersAreOneBadTokenWithNoValue(string text, string reason)
    {
        var tree = Lex(text);
        var token = tree.Tokens[0];
        Assert.Equal(SyntaxKind.Number, token.Kind);
        Assert.Equal(text, token.Text);
        Assert.True(double.IsNaN(token.Value));
        var diagnostic = Assert.Single(tree.Diagnostics);
        Assert.Equal("DNET0003", diagnostic.Id);
        Assert.Contains(reason, diagnostic.Message);
    }

    [Fact]
    public void UnterminatedBlockCommentIsReportedAtItsStart()
    {
        var tree = Lex("a\n  /* no end\n b");
        var diagnostic = Assert.Single(tree.Diagnostics);
        Assert.Equal("DNET0002", diagnostic.Id);
        Assert.Equal((1, 2, 2), (diagnostic.Span.StartLine, diagnostic.Span.StartColumn, diagnostic.Span.Length));
        Assert.Equal(2, tree.Tokens.Count); // "a" and end of file
    }

    [Fact]
    public void ByteOrderMarkIsWhitespace()
    {
        var tree = Lex("\uFEFFnetwork");
        Assert.Empty(tree.Diagnostics);
        Assert.Equal(SyntaxKind.NetworkKeyword, tree.Tokens[0].Kind);
    }
}
