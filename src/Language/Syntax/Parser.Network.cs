using DestinyDsl.Language.Constructs;
using DestinyDsl.Language.Diagnostics;

namespace DestinyDsl.Language.Syntax;

// Network blocks and the statements inside them.
internal sealed partial class Parser
{
    private const string StatementExpectation = "a layer (input, hidden, output), loss, optimizer or train statement";

    private NetworkDeclarationSyntax ParseNetwork()
    {
        var start = StartOfCurrent;
        var keyword = Advance();
        var name = ExpectName("network", SyntaxKind.OpenBrace);
        var openBrace = Expect(SyntaxKind.OpenBrace, "'{' to open the network block");
        var statements = ParseNetworkBody();

        SyntaxToken closeBrace;
        if (CurrentKind == SyntaxKind.CloseBrace)
        {
            closeBrace = Advance();
        }
        else
        {
            // Without its '{' the block was never opened: that error already says it all.
            if (!openBrace.IsMissing)
            {
                var found = Current;
                var where = found.Kind == SyntaxKind.EndOfFile ? "the end of the file" : $"{Describe(found)} (line {found.Span.StartLine + 1})";
                Report(DiagnosticCatalog.MissingClosingBrace, openBrace.Span, name.Text.Length > 0 ? name.Text : "?", where);
            }
            closeBrace = Missing(SyntaxKind.CloseBrace);
        }
        return new NetworkDeclarationSyntax(SpanFrom(start), keyword, name, openBrace, statements, closeBrace);
    }

    private List<StatementSyntax> ParseNetworkBody()
    {
        var statements = new List<StatementSyntax>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case SyntaxKind.CloseBrace:
                case SyntaxKind.EndOfFile:
                case SyntaxKind.NetworkKeyword:
                case SyntaxKind.NamespaceKeyword:
                    return statements;
                case SyntaxKind.InputKeyword:
                case SyntaxKind.HiddenKeyword:
                case SyntaxKind.OutputKeyword:
                case SyntaxKind.LossKeyword:
                case SyntaxKind.OptimizerKeyword:
                case SyntaxKind.TrainKeyword:
                    statements.Add(ParseStatement(token.Kind));
                    break;
                case SyntaxKind.Identifier:
                    ParseUnknownStatement(token, statements);
                    break;
                default:
                    Report(DiagnosticCatalog.UnexpectedToken, token.Span, Describe(token), StatementExpectation);
                    SkipUntil((t, _) => IsStatementSync(t));
                    break;
            }
        }
    }

    /// <summary>
    /// A word where a statement keyword belongs. A close misspelling (<c>hiden</c>, <c>Loss</c>) is reported and
    /// parsed as the statement it resembles, so the rest of the line is still checked and later references to the
    /// layer do not cascade; anything else is skipped to the next statement.
    /// </summary>
    private void ParseUnknownStatement(SyntaxToken token, List<StatementSyntax> statements)
    {
        var guess = Suggestions.Best(token.Text, Keywords.StatementWords);
        if (guess is not null)
        {
            Report(DiagnosticCatalog.UnknownKeyword, token.Span, token.Text, StatementExpectation, Suggestions.Suffix(token.Text, guess));
            statements.Add(ParseStatement(Keywords.Classify(guess)));
            return;
        }
        var clauseGuess = Suggestions.Best(token.Text, Vocabulary.Activations.Select(a => a.Name).Concat(Vocabulary.Modifiers.Select(m => m.Name)).ToArray());
        var suffix = clauseGuess is null ? string.Empty : Suggestions.Suffix(token.Text, clauseGuess) + " (layer clauses follow the layer's width)";
        Report(DiagnosticCatalog.UnknownKeyword, token.Span, token.Text, StatementExpectation, suffix);
        SkipUntil((t, _) => IsStatementSync(t));
    }

    /// <summary>Parses the statement of <paramref name="kind"/>; the current token is its keyword or a misspelling of it.</summary>
    private StatementSyntax ParseStatement(SyntaxKind kind) => kind switch
    {
        SyntaxKind.InputKeyword => ParseLayer(Model.LayerKind.Input),
        SyntaxKind.HiddenKeyword => ParseLayer(Model.LayerKind.Hidden),
        SyntaxKind.OutputKeyword => ParseLayer(Model.LayerKind.Output),
        SyntaxKind.LossKeyword => ParseLoss(),
        SyntaxKind.OptimizerKeyword => ParseOptimizer(),
        _ => ParseTrain(),
    };

    private LossStatementSyntax ParseLoss()
    {
        var start = StartOfCurrent;
        var keyword = Advance();
        var call = ExpectCall("a loss name (l1, l2, cross_entropy, scaled_marginal_cross_entropy, …)");
        return new LossStatementSyntax(SpanFrom(start), keyword, call);
    }

    private OptimizerStatementSyntax ParseOptimizer()
    {
        var start = StartOfCurrent;
        var keyword = Advance();
        var call = ExpectCall("an optimizer name (sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam)");
        return new OptimizerStatementSyntax(SpanFrom(start), keyword, call);
    }

    private CallSyntax ExpectCall(string description)
    {
        if (CurrentKind == SyntaxKind.Identifier) return ParseCall();
        ReportExpected(description);
        var name = Missing(SyntaxKind.Identifier);
        return new CallSyntax(name.Span, name, null);
    }

    private TrainStatementSyntax ParseTrain()
    {
        var start = StartOfCurrent;
        var keyword = Advance();
        var settings = new List<ArgumentSyntax>();
        while (true)
        {
            if (IsHardStop(Current))
            {
                ReportExpected(settings.Count == 0 ? "a train setting (batch = 256, epochs = 10, …)" : "a train setting after ','");
                break;
            }
            settings.Add(ParseArgument());
            if (CurrentKind == SyntaxKind.Comma)
            {
                Advance();
                continue;
            }
            // "batch = 64 epochs = 5": a forgotten comma between two settings on one line.
            var next = Current;
            if (next.Kind == SyntaxKind.Identifier && !next.IsFirstOnLine && Peek(1).Kind is SyntaxKind.EqualsToken or SyntaxKind.OpenParen)
            {
                ReportExpected("',' between train settings");
                continue;
            }
            break;
        }
        return new TrainStatementSyntax(SpanFrom(start), keyword, settings);
    }
}
