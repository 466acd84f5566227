using DestinyDsl.Language.Model;
using DestinyDsl.SourceGenerator.Emit;
using DestinyDsl.SourceGenerator.Pipeline;
using DestinyDsl.SourceGenerator.Tests.Infrastructure;

namespace DestinyDsl.SourceGenerator.Tests;

/// <summary>The emitter's exact output for hand-built models of the golden cases.</summary>
public class EmitterGoldenTests
{
    [Fact]
    public void MovieLens() => Verify(nameof(MovieLens), TestModels.MovieLens());

    [Fact]
    public void DeepAutoencoder() => Verify(nameof(DeepAutoencoder), TestModels.DeepAutoencoder());

    [Fact]
    public void Coverage() => Verify(nameof(Coverage), TestModels.Coverage().ToArray());

    internal static IReadOnlyList<(string HintName, string Text)> Emit(params NetworkModel[] networks)
    {
        var prefixes = HintNames.Assign(networks.Select(n => n.FilePath));
        var compiled = networks.GroupBy(n => n.FilePath)
            .Select(g => new CompiledDnetFile(g.Key, HasErrors: false, g.ToEquatableArray(), Failure: null));
        var results = compiled.Select(c => DnetFileEmitter.Emit(c, prefixes, CancellationToken.None)).ToList();
        Assert.Empty(results.SelectMany(r => r.Failures));
        return results.SelectMany(r => r.Sources).Select(s => (s.HintName, s.Text)).ToList();
    }

    private static void Verify(string test, params NetworkModel[] networks) => Golden.Verify("Emitter" + test, Emit(networks));
}
