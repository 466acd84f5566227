using DestinyDsl.Language.Diagnostics;

namespace DestinyDsl.Language.Syntax;

// Values, calls, argument lists and search ranges.
internal sealed partial class Parser
{
    private ValueSyntax ParseValue()
    {
        var token = Current;
        switch (token.Kind)
        {
            case SyntaxKind.Number:
            case SyntaxKind.Minus:
            case SyntaxKind.Plus:
                return ParseNumber(allowRange: true);
            case SyntaxKind.ChoiceKeyword:
                return new ChoiceValueSyntax(ParseChoice());
            case SyntaxKind.TrueKeyword:
            case SyntaxKind.FalseKeyword:
            case SyntaxKind.AutoKeyword:
                return new KeywordValueSyntax(Advance());
            case SyntaxKind.Identifier:
                return ParseCall();
            case SyntaxKind.TuneKeyword:
            {
                // "tune(0 .. 1)" without the default before it: report, then keep the range so it is still checked.
                ReportExpected("a default value before 'tune(...)'");
                var start = StartOfCurrent;
                var missing = Missing(SyntaxKind.Number);
                var range = ParseTune();
                return new NumberSyntax(SpanFrom(start), missing.Span, null, missing, range);
            }
            default:
                ReportExpected("a value");
                return new MissingValueSyntax(_source.GetSpan(_lastEnd, 0));
        }
    }

    private NumberSyntax ParseNumber(bool allowRange)
    {
        var start = StartOfCurrent;
        SyntaxToken? sign = null;
        if (CurrentKind is SyntaxKind.Minus or SyntaxKind.Plus) sign = Advance();
        SyntaxToken number;
        if (CurrentKind == SyntaxKind.Number)
        {
            number = Advance();
        }
        else
        {
            ReportExpected(sign is null ? "a number" : $"a number after '{sign.Text}'");
            number = Missing(SyntaxKind.Number);
        }
        var consumedAny = sign is not null || !number.IsMissing;
        var numberSpan = consumedAny ? SpanFrom(start) : number.Span;
        SearchRangeSyntax? range = null;
        if (allowRange && consumedAny)
        {
            if (CurrentKind == SyntaxKind.TuneKeyword) range = ParseTune();
            else if (CurrentKind == SyntaxKind.ChoiceKeyword) range = ParseChoice();
        }
        return new NumberSyntax(consumedAny ? SpanFrom(start) : numberSpan, numberSpan, sign, number, range);
    }

    private CallSyntax ParseCall()
    {
        var start = StartOfCurrent;
        var name = Advance();
        var arguments = CurrentKind == SyntaxKind.OpenParen ? ParseArgumentList() : null;
        return new CallSyntax(SpanFrom(start), name, arguments);
    }

    private ArgumentListSyntax ParseArgumentList()
    {
        var start = StartOfCurrent;
        if (_depth >= MaxNesting)
        {
            Report(DiagnosticCatalog.NestingTooDeep, Current.Span, MaxNesting);
            var open = Current;
            SkipBalanced();
            return new ArgumentListSyntax(SpanFrom(start), open, Array.Empty<ArgumentSyntax>(), Missing(SyntaxKind.CloseParen));
        }

        _depth++;
        var openParen = Advance();
        var arguments = new List<ArgumentSyntax>();
        var sawNamed = false;
        if (CurrentKind != SyntaxKind.CloseParen)
        {
            while (!IsHardStop(Current))
            {
                var argument = ParseArgument();
                if (argument.Name is not null) sawNamed = true;
                else if (sawNamed && argument.Value is not MissingValueSyntax)
                    Report(DiagnosticCatalog.PositionalAfterNamed, argument.Span, Lexer.Abbreviate(_source.Text.Substring(argument.Span.Start, argument.Span.Length)));
                arguments.Add(argument);

                var next = Current;
                if (next.Kind == SyntaxKind.Comma)
                {
                    Advance();
                    continue;
                }
                // A new line after a complete argument without ',' or ')' means the ')' was forgotten.
                if (next.Kind == SyntaxKind.CloseParen || IsHardStop(next) || next.IsFirstOnLine) break;
                ReportExpected("',' or ')'");
                SkipUntil((t, depth) => depth == 0 && (t.Kind is SyntaxKind.Comma or SyntaxKind.CloseParen || IsHardStop(t) || t.IsFirstOnLine));
                if (CurrentKind == SyntaxKind.Comma)
                {
                    Advance();
                    continue;
                }
                break;
            }
        }
        var closeParen = Expect(SyntaxKind.CloseParen, "')'");
        _depth--;
        return new ArgumentListSyntax(SpanFrom(start), openParen, arguments, closeParen);
    }

    private ArgumentSyntax ParseArgument()
    {
        var start = StartOfCurrent;
        if (CurrentKind == SyntaxKind.Identifier && Peek(1).Kind == SyntaxKind.EqualsToken)
        {
            var name = Advance();
            var equalsToken = Advance();
            var value = ParseValue();
            return new ArgumentSyntax(SpanFrom(start), name, equalsToken, value);
        }
        var positional = ParseValue();
        return new ArgumentSyntax(positional is MissingValueSyntax ? positional.Span : SpanFrom(start), null, null, positional);
    }

    private TuneSyntax ParseTune()
    {
        var start = StartOfCurrent;
        var keyword = Advance();
        if (CurrentKind != SyntaxKind.OpenParen)
        {
            ReportExpected("'(' after 'tune'");
            var low = MissingNumber();
            return new TuneSyntax(SpanFrom(start), keyword, Missing(SyntaxKind.OpenParen), low, Missing(SyntaxKind.DotDot), MissingNumber(), Array.Empty<SyntaxToken>(), Missing(SyntaxKind.CloseParen));
        }
        var openParen = Advance();
        var lowBound = ParseNumber(allowRange: false);
        var dotDot = Expect(SyntaxKind.DotDot, "'..' between the bounds");
        var highBound = ParseNumber(allowRange: false);
        var flags = new List<SyntaxToken>();
        while (CurrentKind == SyntaxKind.Comma)
        {
            Advance();
            flags.Add(ExpectIdentifier("'log' or 'int'"));
        }
        var closeParen = ExpectCloser();
        return new TuneSyntax(SpanFrom(start), keyword, openParen, lowBound, dotDot, highBound, flags, closeParen);
    }

    private ChoiceSyntax ParseChoice()
    {
        var start = StartOfCurrent;
        var keyword = Advance();
        var values = new List<NumberSyntax>();
        if (CurrentKind != SyntaxKind.OpenParen)
        {
            ReportExpected("'(' after 'choice'");
            return new ChoiceSyntax(SpanFrom(start), keyword, Missing(SyntaxKind.OpenParen), values, Missing(SyntaxKind.CloseParen));
        }
        var openParen = Advance();
        values.Add(ParseNumber(allowRange: false));
        while (CurrentKind == SyntaxKind.Comma)
        {
            Advance();
            values.Add(ParseNumber(allowRange: false));
        }
        var closeParen = ExpectCloser();
        return new ChoiceSyntax(SpanFrom(start), keyword, openParen, values, closeParen);
    }

    /// <summary>Expects ')' of a tune/choice, skipping junk before it on the same line.</summary>
    private SyntaxToken ExpectCloser()
    {
        if (CurrentKind == SyntaxKind.CloseParen) return Advance();
        ReportExpected("')'");
        if (!IsHardStop(Current) && !Current.IsFirstOnLine)
        {
            SkipUntil((t, depth) => depth == 0 && (t.Kind == SyntaxKind.CloseParen || IsHardStop(t) || t.IsFirstOnLine));
            if (CurrentKind == SyntaxKind.CloseParen) return Advance();
        }
        return Missing(SyntaxKind.CloseParen);
    }

    private NumberSyntax MissingNumber()
    {
        var missing = Missing(SyntaxKind.Number);
        return new NumberSyntax(missing.Span, missing.Span, null, missing, null);
    }
}
