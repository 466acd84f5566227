using DestinyDsl.Language.Model;
using DestinyDsl.SourceGenerator.Emit;
using DestinyDsl.SourceGenerator.Pipeline;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>The emitter called directly on models (bound from the inputs, or built by hand for what the binder rejects).</summary>
internal static class TestEmitter
{
    public static IReadOnlyList<(string HintName, string Text)> Emit(params NetworkModel[] networks)
    {
        var prefixes = HintNames.Assign(networks.Select(n => n.FilePath));
        var compiled = networks.GroupBy(n => n.FilePath)
            .Select(g => new CompiledDnetFile(g.Key, HasErrors: false, g.ToEquatableArray(), Failure: null));
        var results = compiled.Select(c => DnetFileEmitter.Emit(c, prefixes, CancellationToken.None)).ToList();
        Assert.Empty(results.SelectMany(r => r.Failures));
        return results.SelectMany(r => r.Sources).Select(s => (s.HintName, s.Text)).ToList();
    }
}
