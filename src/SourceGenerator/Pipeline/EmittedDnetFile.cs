using DestinyDsl.Language.Model;

namespace DestinyDsl.SourceGenerator.Pipeline;

/// <summary>A generated source file: hint name and text.</summary>
internal sealed record GeneratedSource(string HintName, string Text);

/// <summary>What one .dnet file produces: its generated sources and the DNET0999 failures met on the way.</summary>
/// <remarks>Immutable, structural equality (texts compared as strings, so an identical regeneration is "Unchanged").</remarks>
internal sealed record EmittedDnetFile(EquatableArray<GeneratedSource> Sources, EquatableArray<GeneratorFailure> Failures)
{
    /// <summary>No sources, no failures (a file whose GPU kernels are not wanted).</summary>
    public static EmittedDnetFile None { get; } = new(EquatableArray<GeneratedSource>.Empty, EquatableArray<GeneratorFailure>.Empty);
}
