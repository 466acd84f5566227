using DestinyDsl.Roslyn;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DestinyDsl.SourceGenerator.Pipeline;

/// <summary>
/// A .dnet AdditionalFile as the pipeline sees it: path, text and its per-file namespace metadata.
/// </summary>
/// <remarks>Immutable, structural equality (text compared as a string); no <see cref="AdditionalText"/> or other
/// Roslyn object is kept, so an unchanged file compares equal whatever instance the driver hands in.
/// <see cref="Text"/> is null when the file could not be read.</remarks>
internal sealed record DnetSourceFile(string Path, string? Text, string? NamespaceMetadata)
{
    public static DnetSourceFile Read(AdditionalText file, AnalyzerConfigOptions fileOptions, CancellationToken cancellationToken)
    {
        var text = file.GetText(cancellationToken)?.ToString();
        fileOptions.TryGetValue(DnetBuildOptions.NamespaceMetadataKey, out var ns);
        return new DnetSourceFile(file.Path, text, string.IsNullOrWhiteSpace(ns) ? null : ns!.Trim());
    }
}
