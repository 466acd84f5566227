using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Tests;

/// <summary>
/// <c>tied(a -&gt; b)</c> is accepted (no longer DNET0140): the bound layer carries the tie, the tie is part of the
/// network's hash (a checkpoint of the untied network is another network's), and widths the compiler cannot know
/// (auto, tuned) are left to the runtime. The errors are in <see cref="DiagnosticCases"/> at their exact places.
/// </summary>
public sealed class TiedSyntaxTests
{
    private const string Tied = """
        network N {
            input  items  : sparse auto
            hidden h1     : 16 sigmoid
            output scores : sparse auto sigmoid <- h1 target items tied(items -> h1)
        }
        """;

    private const string Untied = """
        network N {
            input  items  : sparse auto
            hidden h1     : 16 sigmoid
            output scores : sparse auto sigmoid <- h1 target items
        }
        """;

    [Fact]
    public void TheDecoderCarriesItsTieAndOnlyIt()
    {
        var network = Dnet.Network(Tied);
        Assert.Equal(new TiedEdgeModel("items", "h1"), network.Layers.Single(l => l.Name == "scores").Tied);
        Assert.All(network.Layers.Where(l => l.Name != "scores"), l => Assert.Null(l.Tied));
    }

    [Fact]
    public void TyingAnEdgeChangesTheNetworkHashAndEquality()
    {
        var tied = Dnet.Network(Tied);
        var untied = Dnet.Network(Untied);
        Assert.NotEqual(untied.SourceHash, tied.SourceHash);
        Assert.NotEqual(untied with { SourceHash = "" }, tied with { SourceHash = "" });
        Assert.Equal(tied, Dnet.Network(Tied));
    }

    [Theory]
    [InlineData("    hidden h2 : 16 <- h1\n    hidden h3 : 16 tune(8 .. 32) <- h2 tied(h1 -> h2)")]   // a tuned width: the runtime checks the bound widths
    [InlineData("    hidden h2 : 16 <- h1\n    hidden h3 : 16 tied(h1 -> h2) <- h2 init(gaussian(0.1))")]
    public void ClausesInAnyOrderAndWidthsTheCompilerCannotKnowAreAccepted(string lines)
    {
        var snippet = Dnet.With(lines);
        var errors = Dnet.Compile(snippet).Diagnostics.Where(d => d.Severity == Diagnostics.DnetSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void ALayerMayBeCalledTied()
    {
        var network = Dnet.Network("network N {\n    input items : sparse auto\n    hidden tied : 16 sigmoid\n    output scores : sparse auto sigmoid <- tied target items tied(items -> tied)\n}");
        Assert.Equal(new TiedEdgeModel("items", "tied"), network.Layers.Single(l => l.Name == "scores").Tied);
    }

    [Fact]
    public void SharedWeightsPointsAtTheTiedClause()
    {
        var diagnostic = Assert.Single(Dnet.Compile(Dnet.With("    hidden h2 : 16 shared_weights(h1) <- h1")).Diagnostics);
        Assert.Equal("DNET0140", diagnostic.Id);
        Assert.Contains("tied(a -> b)", diagnostic.Message);
    }
}
