using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Tests;

public class ParserTests
{
    [Fact]
    public void TheExampleParsesIntoTheExpectedTree()
    {
        var tree = DnetSyntaxTree.Parse(Examples.DeepAutoencoder);
        Assert.Empty(tree.Diagnostics);
        var network = Assert.IsType<NetworkDeclarationSyntax>(Assert.Single(tree.Root.Declarations));
        Assert.Equal("DeepAutoencoder", network.Name.Text);
        Assert.Equal(8, network.Statements.Count);

        var h2 = Assert.IsType<LayerDeclarationSyntax>(network.Statements[2]);
        Assert.Equal(LayerKind.Hidden, h2.Kind);
        Assert.Equal("h2", h2.Name.Text);
        var width = Assert.IsType<NumberSyntax>(h2.Width);
        Assert.Equal(1024, width.Value);
        var tune = Assert.IsType<TuneSyntax>(width.Range);
        Assert.Equal(256, tune.Low.Value);
        Assert.Equal(4096, tune.High.Value);
        Assert.Equal(new[] { "log", "int" }, tune.Flags.Select(f => f.Text));
        var activation = Assert.IsType<CallClauseSyntax>(Assert.Single(h2.Clauses));
        Assert.Equal("sigmoid", activation.Call.Name.Text);

        var h3 = Assert.IsType<LayerDeclarationSyntax>(network.Statements[3]);
        var sources = Assert.IsType<SourcesClauseSyntax>(h3.Clauses[1]);
        Assert.Equal(new[] { "h2", "h1" }, sources.Names.Select(n => n.Text));

        var scores = Assert.IsType<LayerDeclarationSyntax>(network.Statements[4]);
        Assert.IsType<SparseClauseSyntax>(scores.Clauses[0]);
        Assert.Equal("auto", Assert.IsType<KeywordValueSyntax>(scores.Width).Keyword.Text);
        Assert.Equal("items", Assert.IsType<TargetClauseSyntax>(scores.Clauses[^1]).Name.Text);

        var optimizer = Assert.IsType<OptimizerStatementSyntax>(network.Statements[6]);
        var lr = optimizer.Call.Arguments!.Arguments[0];
        Assert.Equal("learning_rate", lr.Name!.Text);
        Assert.Equal(1e-4, Assert.IsType<TuneSyntax>(Assert.IsType<NumberSyntax>(lr.Value).Range).Low.Value);

        var train = Assert.IsType<TrainStatementSyntax>(network.Statements[7]);
        Assert.Equal(new[] { "batch", "epochs" }, train.Settings.Select(s => s.Name!.Text));
    }

    [Fact]
    public void NodeSpansCoverTheirTokensExactly()
    {
        const string text = "network N {\n    hidden h1 : 1024 tune(256 .. 4096, log) relu <- a, b\n}";
        var tree = DnetSyntaxTree.Parse(text);
        var layer = (LayerDeclarationSyntax)((NetworkDeclarationSyntax)tree.Root.Declarations[0]).Statements[0];
        Assert.Equal("hidden h1 : 1024 tune(256 .. 4096, log) relu <- a, b", Slice(text, layer.Span));
        var width = (NumberSyntax)layer.Width;
        Assert.Equal("1024 tune(256 .. 4096, log)", Slice(text, width.Span));
        Assert.Equal("1024", Slice(text, width.NumberSpan));
        Assert.Equal("tune(256 .. 4096, log)", Slice(text, width.Range!.Span));
        Assert.Equal("<- a, b", Slice(text, layer.Clauses[1].Span));
        Assert.Equal((1, 4, 1, 56), (layer.Span.StartLine, layer.Span.StartColumn, layer.Span.EndLine, layer.Span.EndColumn));
    }

    private static string Slice(string text, Text.SourceSpan span) => text.Substring(span.Start, span.Length);

    [Fact]
    public void SignedNumbersAndBareChoices()
    {
        var tree = DnetSyntaxTree.Parse("network N { hidden h : choice(8, 16) bias(-10.2) }");
        Assert.Empty(tree.Diagnostics);
        var layer = (LayerDeclarationSyntax)((NetworkDeclarationSyntax)tree.Root.Declarations[0]).Statements[0];
        var choice = Assert.IsType<ChoiceValueSyntax>(layer.Width);
        Assert.Equal(new[] { 8.0, 16.0 }, choice.Choice.Values.Select(v => v.Value));
        var bias = Assert.IsType<NumberSyntax>(((CallClauseSyntax)layer.Clauses[0]).Call.Arguments!.Arguments[0].Value);
        Assert.Equal(-10.2, bias.Value);
        Assert.Equal("-10.2", bias.Text);
    }

    [Fact]
    public void MissingTokensAreSynthesisedSoTheTreeIsWhole()
    {
        var tree = DnetSyntaxTree.Parse("network N {\n    hidden h1 128 dropout(0.1\n");
        var network = (NetworkDeclarationSyntax)tree.Root.Declarations[0];
        Assert.True(network.CloseBrace.IsMissing);
        var layer = (LayerDeclarationSyntax)network.Statements[0];
        Assert.True(layer.Colon.IsMissing);
        Assert.Equal(128, ((NumberSyntax)layer.Width).Value);
        var dropout = ((CallClauseSyntax)layer.Clauses[0]).Call;
        Assert.True(dropout.Arguments!.CloseParen.IsMissing);
        Assert.Equal(0, dropout.Arguments.CloseParen.Span.Length);
        Assert.Equal(new[] { "DNET0004", "DNET0004", "DNET0006" }, tree.Diagnostics.Select(d => d.Id));
    }

    [Fact]
    public void MisspeltStatementKeywordIsParsedAsTheStatementItResembles()
    {
        var tree = DnetSyntaxTree.Parse("network N {\n    Hidden h1 : 16 sigmoid\n    lose l2\n}");
        var statements = ((NetworkDeclarationSyntax)tree.Root.Declarations[0]).Statements;
        Assert.IsType<LayerDeclarationSyntax>(statements[0]);
        Assert.IsType<LossStatementSyntax>(statements[1]);
        Assert.Equal(new[] { "DNET0007", "DNET0007" }, tree.Diagnostics.Select(d => d.Id));
        Assert.Contains("did you mean 'hidden'? (keywords and built-in names are lower-case)", tree.Diagnostics[0].Message);
    }

    [Fact]
    public void AnUnknownWordOpeningALineEndsTheLayerBeforeIt()
    {
        var tree = DnetSyntaxTree.Parse("network N {\n    hidden h1 : 16 sigmoid\n    frobnicate 3 4 5\n    hidden h2 : 8\n        dropout(0.5)\n}");
        var statements = ((NetworkDeclarationSyntax)tree.Root.Declarations[0]).Statements;
        Assert.Equal(2, statements.Count);
        var h2 = (LayerDeclarationSyntax)statements[1];
        Assert.Equal("dropout", ((CallClauseSyntax)Assert.Single(h2.Clauses)).Call.Name.Text); // a clause word continues the layer
        var diagnostic = Assert.Single(tree.Diagnostics);
        Assert.Equal(("DNET0007", 2, 4), (diagnostic.Id, diagnostic.Span.StartLine, diagnostic.Span.StartColumn));
    }

    [Fact]
    public void AForgottenCommaBetweenTrainSettingsIsReportedAndBothSettingsParse()
    {
        var tree = DnetSyntaxTree.Parse("network N {\n    train batch = 64 epochs = 5\n}");
        var train = (TrainStatementSyntax)((NetworkDeclarationSyntax)tree.Root.Declarations[0]).Statements[0];
        Assert.Equal(new[] { "batch", "epochs" }, train.Settings.Select(s => s.Name!.Text));
        var diagnostic = Assert.Single(tree.Diagnostics);
        Assert.Equal(("DNET0004", 1, 21), (diagnostic.Id, diagnostic.Span.StartLine, diagnostic.Span.StartColumn));
    }

    [Fact]
    public void MultiLineArgumentListsParse()
    {
        var tree = DnetSyntaxTree.Parse("network N {\n    loss scaled_marginal_cross_entropy(\n        one_target = 1,\n        zero_target = 0\n    )\n    optimizer adam(learning_rate = 0.1\n                   , beta1 = 0.8)\n}");
        Assert.Empty(tree.Diagnostics);
        var statements = ((NetworkDeclarationSyntax)tree.Root.Declarations[0]).Statements;
        Assert.Equal(2, ((LossStatementSyntax)statements[0]).Call.Arguments!.Arguments.Count);
        Assert.Equal(2, ((OptimizerStatementSyntax)statements[1]).Call.Arguments!.Arguments.Count);
    }

    [Fact]
    public void AKeywordUsedAsALayerNameIsReportedAndTheLayerStillParses()
    {
        var tree = DnetSyntaxTree.Parse("network N {\n    hidden loss : 16 relu\n}");
        var layer = (LayerDeclarationSyntax)((NetworkDeclarationSyntax)tree.Root.Declarations[0]).Statements[0];
        Assert.Equal("loss", layer.Name.Text);
        Assert.True(layer.Name.IsMissing); // so the binder never resolves or reports it again
        Assert.Equal("relu", ((CallClauseSyntax)layer.Clauses[0]).Call.Name.Text);
        Assert.Equal("DNET0009", Assert.Single(tree.Diagnostics).Id);
    }

    [Fact]
    public void WorkIsLinearInTheNumberOfTokens()
    {
        var small = DnetSyntaxTree.Parse(string.Concat(Enumerable.Repeat(Examples.Everything.Replace("MovieLensAutoencoder", "A"), 10)));
        var large = DnetSyntaxTree.Parse(string.Concat(Enumerable.Repeat(Examples.Everything.Replace("MovieLensAutoencoder", "A"), 100)));
        var perTokenSmall = (double)small.ParserWork / small.Tokens.Count;
        var perTokenLarge = (double)large.ParserWork / large.Tokens.Count;
        Assert.InRange(perTokenLarge, 0, 8);
        Assert.InRange(perTokenLarge / perTokenSmall, 0.9, 1.1);
    }
}
