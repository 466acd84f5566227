using DestinyDsl.Language.Model;
using DestinyDsl.SourceGenerator.Emit;
using DestinyDsl.SourceGenerator.Pipeline;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>The emitter called directly on models (bound from the inputs, or built by hand for what the binder rejects).</summary>
internal static class TestEmitter
{
    /// <summary>The model classes (<c>.g.cs</c>) of the networks.</summary>
    public static IReadOnlyList<(string HintName, string Text)> Emit(params NetworkModel[] networks) => Run(networks, DnetFileEmitter.Emit);

    /// <summary>The GPU kernels (<c>.Gpu.g.cs</c>) of the networks.</summary>
    public static IReadOnlyList<(string HintName, string Text)> EmitGpu(params NetworkModel[] networks) => Run(networks, DnetFileEmitter.EmitGpu);

    /// <summary>Both files of every network: what a project referencing DestinyDsl.Runtime.Gpu compiles.</summary>
    public static IReadOnlyList<(string HintName, string Text)> EmitBoth(params NetworkModel[] networks) => Emit(networks).Concat(EmitGpu(networks)).ToList();

    private static IReadOnlyList<(string HintName, string Text)> Run(NetworkModel[] networks, Func<CompiledDnetFile, EquatableArray<HintPrefix>, CancellationToken, EmittedDnetFile> emit)
    {
        var prefixes = HintNames.Assign(networks.Select(n => n.FilePath));
        var compiled = networks.GroupBy(n => n.FilePath)
            .Select(g => new CompiledDnetFile(g.Key, HasErrors: false, g.ToEquatableArray(), Failure: null));
        var results = compiled.Select(c => emit(c, prefixes, CancellationToken.None)).ToList();
        Assert.Empty(results.SelectMany(r => r.Failures));
        return results.SelectMany(r => r.Sources).Select(s => (s.HintName, s.Text)).ToList();
    }
}
