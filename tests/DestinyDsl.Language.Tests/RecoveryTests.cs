namespace DestinyDsl.Language.Tests;

/// <summary>One mistake never hides the next: several errors per file, each at its own place.</summary>
public class RecoveryTests
{
    private static (string Id, int Line, int Column)[] Located(DnetCompilation compilation) =>
        compilation.Diagnostics.Select(d => (d.Id, d.Span.StartLine + 1, d.Span.StartColumn + 1)).ToArray();

    [Fact]
    public void ThreeIndependentErrorsOnThreeLinesAreAllReported()
    {
        var compilation = Dnet.Compile("""
            network N {
                input  items  : sparse auto
                hidden h1     : 16 sigmiod
                hidden h2     : 8 dropout(1.5)
                output scores : sparse auto sigmoid <- h3 target items
            }
            """);
        Assert.Equal(new[]
        {
            ("DNET0100", 3, 24),
            ("DNET0118", 4, 31),
            ("DNET0111", 5, 44),
        }, Located(compilation));
    }

    [Fact]
    public void ThreeSyntaxErrorsOnThreeLinesAreAllReported()
    {
        var compilation = Dnet.Compile("""
            network N {
                input  items    sparse auto
                hidden h1     : 16 sigmoid dropout(0.1
                hidden h2     : 8 @
                output scores : sparse auto sigmoid target items
            }
            """);
        Assert.Equal(new[]
        {
            ("DNET0004", 2, 21),
            ("DNET0004", 3, 43),
            ("DNET0001", 4, 23),
        }, Located(compilation));
    }

    [Fact]
    public void AMissingClosingBraceDoesNotHideTheNextNetworksErrors()
    {
        var compilation = Dnet.Compile("""
            network A {
                input  items  : sparse auto
                output scores : sparse auto sigmoid target items

            network B {
                input  x : 10
                output y : 12 sigmoid target x
                optimizer sgd(learning_rate = 0)
            }
            """);
        Assert.Equal(new[]
        {
            ("DNET0006", 1, 11),
            ("DNET0137", 7, 16),
            ("DNET0120", 8, 35),
        }, Located(compilation));
        Assert.Contains("'}' expected before 'network' (line 5)", compilation.Diagnostics[0].Message);
    }

    [Fact]
    public void AMissingBraceAtTheEndOfTheFileIsReportedOnceAndTheNetworkIsStillChecked()
    {
        var compilation = Dnet.Compile("network A {\n    input items : sparse auto\n    output scores : sparse auto relu target items\n");
        Assert.Equal(new[] { ("DNET0006", 1, 11), ("DNET0132", 3, 33) }, Located(compilation));
    }

    [Fact]
    public void AMisspeltLayerKeywordDoesNotCascadeIntoUnknownReferences()
    {
        var compilation = Dnet.Compile("network N {\n    input items : sparse auto\n    hiden h1 : 16\n    output scores : sparse auto sigmoid <- h1 target items\n}");
        Assert.Equal(new[] { ("DNET0007", 3, 5) }, Located(compilation));
    }

    [Fact]
    public void JunkInsideALineIsSkippedAndTheRestOfTheFileIsChecked()
    {
        var compilation = Dnet.Compile("network N {\n    input items : sparse auto\n    hidden h1 : 16 ) ) = ; 5 relu dropout(2)\n    output scores : sparse auto sigmoid target itemz\n}");
        Assert.Equal(new[] { ("DNET0005", 3, 20), ("DNET0118", 3, 43), ("DNET0111", 4, 48) }, Located(compilation));
    }

    [Fact]
    public void StrayTokensBeforeTheFirstNetworkAreOneError()
    {
        var compilation = Dnet.Compile("} } ; garbage here\n" + Dnet.Valid);
        Assert.Equal(new[] { ("DNET0005", 1, 1) }, Located(compilation));
    }

    [Fact]
    public void ErrorsInSeveralNetworksAreAllReported()
    {
        var compilation = Dnet.Compile("network A {\n    input x : 0\n}\nnetwork B {\n    input y : 4\n    output z : 4 sigmoid target y\n    train batch = -1\n}");
        Assert.Equal(new[] { ("DNET0117", 2, 15), ("DNET0114", 1, 9), ("DNET0121", 7, 19) }.OrderBy(e => (e.Item2, e.Item3)), Located(compilation).Where(d => d.Id != "DNET0203"));
    }

    [Fact]
    public void TheOutputWithoutTargetMessageSuggestsTheMatchingInput()
    {
        var compilation = Dnet.Compile("network N {\n    input dense : 10\n    input items : sparse auto\n    output scores : sparse auto sigmoid <- items\n}");
        var diagnostic = Dnet.AssertReported(compilation, "DNET0115", 4, 12);
        Assert.Equal("Output layer 'scores' has no training target; add 'target items'", diagnostic.Message);
    }

    [Fact]
    public void UnknownReferencesSuggestTheClosestLayer()
    {
        var compilation = Dnet.Compile("network N {\n    input items : sparse auto\n    hidden hidden1 : 16\n    output scores : sparse auto sigmoid <- hiden1 target items\n}");
        var diagnostic = Dnet.AssertReported(compilation, "DNET0111", 4, 44);
        Assert.Equal("Network 'N' has no layer named 'hiden1'; did you mean 'hidden1'?", diagnostic.Message);
    }

    [Fact]
    public void CycleMessagesNameTheLayersOfTheCycle()
    {
        var compilation = Dnet.Compile("network N {\n    input items : sparse auto\n    hidden a : 16 <- c\n    hidden b : 16 <- a\n    hidden c : 16 <- b\n    output scores : sparse auto sigmoid <- c target items\n}");
        var diagnostic = Dnet.AssertReported(compilation, "DNET0112", 3, 22);
        Assert.Equal("Layers form a cycle through their sources: a <- c <- b <- a", diagnostic.Message);
        Assert.Single(compilation.Diagnostics, d => d.Id == "DNET0112");
    }

    [Fact]
    public void APositionalArgumentAfterANamedOneIsOneError()
    {
        var compilation = Dnet.Compile(Dnet.With("    hidden h2 : 16 leaky_relu(slope = 0.1, 0.2) <- h1"));
        Assert.Equal(new[] { "DNET0010" }, compilation.Diagnostics.Where(d => d.Severity == Diagnostics.DnetSeverity.Error).Select(d => d.Id));
    }

    [Theory]
    [InlineData("    optimizer adam(lr = 0.1)", "'adam' has no parameter 'lr'; did you mean 'learning_rate'?")]
    [InlineData("    optimizer sgd(l2 = 0.1)", "'sgd' has no parameter 'l2'; did you mean 'weight_decay'?")]
    [InlineData("    train batch_size = 64", "Unknown train setting 'batch_size'; did you mean 'batch'?")]
    [InlineData("    optimizer sgd(momentun = 0.9)", "'sgd' has no parameter 'momentun'; did you mean 'momentum'?")]
    [InlineData("    optimizer Adam", "Unknown optimizer 'Adam'; did you mean 'adam'? (keywords and built-in names are lower-case)")]
    [InlineData("    loss adam", "Unknown loss 'adam'; 'adam' is an optimizer: write 'optimizer adam'")]
    public void SuggestionsCoverTyposCaseAndNamesFromOtherLibraries(string line, string message)
    {
        var compilation = Dnet.Compile(Dnet.With(line));
        Assert.Contains(message, compilation.Diagnostics.Select(d => d.Message));
    }

    [Fact]
    public void ANetworkWithoutANameIsOneError()
    {
        var compilation = Dnet.Compile(Dnet.Valid + "\nnetwork");
        Assert.Equal(new[] { ("DNET0004", 6, 8) }, Located(compilation));
    }

    [Fact]
    public void ABrokenReferenceDoesNotAlsoWarnAboutUnusedLayers()
    {
        var compilation = Dnet.Compile("network N {\n    input items : sparse auto\n    hidden h1 : 16\n    hidden h2 : 16 <- h9\n    output scores : sparse auto sigmoid <- h2 target items\n}");
        Assert.Equal(new[] { ("DNET0111", 4, 23) }, Located(compilation));
    }
}
