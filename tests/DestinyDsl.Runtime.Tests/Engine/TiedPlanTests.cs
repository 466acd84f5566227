using DestinyDsl.Runtime.Specs;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// What the runtime checks about a tie when it binds the widths (the compiler cannot: auto and tuned widths), and the
/// mirrored split that lets each shard's block of the owner serve the tied use transposed.
/// </summary>
public sealed class TiedPlanTests
{
    private static NetworkSpec Spec(int hidden3, TiedEdgeSpec? tie, float maxNorm = 0f) => Network(
        new[]
        {
            Input("items", 30, sparse: true),
            Hidden("h1", 8, ActivationKind.Sigmoid, new[] { "items" }),
            Hidden("h2", 20, ActivationKind.Sigmoid, new[] { "h1" }),
            Hidden("h3", hidden3, ActivationKind.Sigmoid, new[] { "h2" }) with { Tied = tie, MaxNorm = maxNorm },
            Output("scores", 30, ActivationKind.Sigmoid, new[] { "h3" }, "items", sparse: true),
        },
        new LossSpec(LossKind.CrossEntropy),
        new OptimizerSpec(OptimizerKind.Sgd, 0.1f),
        batch: 8, epochs: 1, shuffle: false);

    [Fact]
    public void TheTiedEdgeMirrorsItsOwnersSplit()
    {
        var plan = Runtime.Engine.NetworkPlan.Build(Spec(8, new TiedEdgeSpec("h1", "h2")), shards: 3);
        var owner = plan.Edges.Single(e => plan.Layer(e.Target).Name == "h2");
        var tied = plan.Edges.Single(e => plan.Layer(e.Target).Name == "h3");
        Assert.Equal(Runtime.Engine.EdgeSplit.ByOutputColumns, owner.Split);   // 3·20 > 2·8
        Assert.Equal(Runtime.Engine.EdgeSplit.ByInputRows, tied.Split);        // its own rule would say ByInputRows too; the mirror decides
        Assert.Equal(owner.Index, tied.Owner);
        Assert.Equal(tied.Index, plan.TiedUserOf(owner.Index));
        Assert.False(owner.IsTied);
    }

    [Theory]
    [InlineData(9, "h1", "h2", 0f, "must be as wide as 'h1' (8), but it has width 9")]
    [InlineData(8, "items", "h2", 0f, "'items' is not a source of 'h2'")]
    [InlineData(8, "h1", "h1", 0f, "'h1' is not one of its sources")]
    [InlineData(8, "h1", "h2", 2f, "cannot have max_norm")]
    [InlineData(8, "h0", "h2", 0f, "'h0' is not a layer")]
    public void ABadTieIsAnArgumentExceptionNamingIt(int hidden3, string source, string target, float maxNorm, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Runtime.Engine.NetworkPlan.Build(Spec(hidden3, new TiedEdgeSpec(source, target), maxNorm), shards: 1));
        Assert.Contains($"Layer 'h3' is tied to the transpose of edge {source} -> {target}", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
