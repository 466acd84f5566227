using DestinyDsl.Language.Constructs;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Syntax;

// Layer declarations: KIND NAME ':' [sparse] WIDTH clause*.
internal sealed partial class Parser
{
    private LayerDeclarationSyntax ParseLayer(LayerKind kind)
    {
        var start = StartOfCurrent;
        var keyword = Advance();
        var name = ExpectName("layer", SyntaxKind.Colon);
        var colon = Expect(SyntaxKind.Colon, "':' after the layer name");
        var clauses = new List<LayerClauseSyntax>();
        if (CurrentKind == SyntaxKind.SparseKeyword) clauses.Add(new SparseClauseSyntax(Advance()));
        var width = ParseWidth();
        ParseLayerClauses(clauses);
        return new LayerDeclarationSyntax(SpanFrom(start), keyword, kind, name, colon, width, clauses);
    }

    private ValueSyntax ParseWidth()
    {
        var token = Current;
        switch (token.Kind)
        {
            case SyntaxKind.Number:
            case SyntaxKind.Minus:
            case SyntaxKind.Plus:
            case SyntaxKind.AutoKeyword:
            case SyntaxKind.ChoiceKeyword:
            case SyntaxKind.TrueKeyword:
            case SyntaxKind.FalseKeyword:
                return ParseValue();
            case SyntaxKind.Identifier when !token.IsFirstOnLine && !Vocabulary.IsLayerClauseWord(token.Text):
                // "Auto", "1O24"-like words: bound (and reported) as a wrong width by the binder, with a suggestion.
                return ParseValue();
            default:
                ReportExpected("a width (a positive integer, 'auto' or choice(...))");
                return new MissingValueSyntax(_source.GetSpan(_lastEnd, 0));
        }
    }

    private void ParseLayerClauses(List<LayerClauseSyntax> clauses)
    {
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case SyntaxKind.SparseKeyword:
                    clauses.Add(new SparseClauseSyntax(Advance()));
                    break;
                case SyntaxKind.Arrow:
                    clauses.Add(ParseSources());
                    break;
                case SyntaxKind.TargetKeyword:
                    clauses.Add(ParseTarget());
                    break;
                case SyntaxKind.Identifier when token.Text == Vocabulary.TiedClause:
                    // Also on a line of its own: a clause may continue the layer (a 'tied' statement is reported as a clause missing '(').
                    clauses.Add(ParseTied());
                    break;
                case SyntaxKind.Identifier:
                    // An unknown word opening a new line is the next statement (misspelt keyword), not a clause.
                    if (token.IsFirstOnLine && !Vocabulary.IsLayerClauseWord(token.Text)) return;
                    clauses.Add(new CallClauseSyntax(ParseCall()));
                    break;
                case SyntaxKind.TuneKeyword:
                case SyntaxKind.ChoiceKeyword:
                    Report(DiagnosticCatalog.UnexpectedToken, token.Span, Describe(token), "a layer clause: a search range follows directly the number it applies to");
                    SkipGroup();
                    break;
                default:
                    if (IsHardStop(token)) return;
                    Report(DiagnosticCatalog.UnexpectedToken, token.Span, Describe(token), "a layer clause (activation, dropout, init, bias, max_norm, batch_norm, '<-', target)");
                    SkipUntil((t, depth) => depth == 0 && (IsHardStop(t) || t.Kind is SyntaxKind.Identifier or SyntaxKind.Arrow or SyntaxKind.TargetKeyword or SyntaxKind.SparseKeyword));
                    break;
            }
        }
    }

    /// <summary>Skips a keyword and the parenthesised group after it, if any.</summary>
    private void SkipGroup()
    {
        Advance();
        if (CurrentKind == SyntaxKind.OpenParen) SkipBalanced();
    }

    /// <summary>Skips from the current '(' to its matching ')' (iteratively), or up to a hard stop.</summary>
    private void SkipBalanced()
    {
        var depth = 0;
        while (!IsHardStop(Current))
        {
            var kind = CurrentKind;
            Advance();
            if (kind == SyntaxKind.OpenParen) depth++;
            else if (kind == SyntaxKind.CloseParen && --depth <= 0) return;
        }
    }

    private SourcesClauseSyntax ParseSources()
    {
        var start = StartOfCurrent;
        var arrow = Advance();
        var names = new List<SyntaxToken> { ExpectIdentifier("a source layer name after '<-'") };
        while (CurrentKind == SyntaxKind.Comma)
        {
            Advance();
            names.Add(ExpectIdentifier("a source layer name after ','"));
        }
        return new SourcesClauseSyntax(SpanFrom(start), arrow, names);
    }

    /// <summary><c>tied ( NAME -&gt; NAME )</c>; a missing part is reported and synthesised so the clause is whole.</summary>
    private TiedClauseSyntax ParseTied()
    {
        var start = StartOfCurrent;
        var keyword = Advance();
        Expect(SyntaxKind.OpenParen, "'(' after 'tied'");
        var source = ExpectIdentifier("the source layer of the shared edge, as in tied(items -> h1)");
        var arrow = Expect(SyntaxKind.TieArrow, "'->' between the two layers of the shared edge, as in tied(items -> h1)");
        var target = ExpectIdentifier("the target layer of the shared edge, as in tied(items -> h1)");
        if (CurrentKind == SyntaxKind.CloseParen) Advance();
        else
        {
            ReportExpected("')' to close tied(...)");
            if (CurrentKind != SyntaxKind.EndOfFile && !IsHardStop(Current)) SkipBalancedRest();
        }
        return new TiedClauseSyntax(SpanFrom(start), keyword, source, arrow, target);
    }

    /// <summary>Skips to the ')' that closes an already opened group, or up to a hard stop.</summary>
    private void SkipBalancedRest()
    {
        var depth = 1;
        while (!IsHardStop(Current))
        {
            var kind = CurrentKind;
            Advance();
            if (kind == SyntaxKind.OpenParen) depth++;
            else if (kind == SyntaxKind.CloseParen && --depth <= 0) return;
        }
    }

    private TargetClauseSyntax ParseTarget()
    {
        var start = StartOfCurrent;
        var keyword = Advance();
        var name = ExpectIdentifier("the name of the input layer after 'target'");
        return new TargetClauseSyntax(SpanFrom(start), keyword, name);
    }
}
