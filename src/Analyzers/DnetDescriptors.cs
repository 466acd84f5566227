using System.Collections.Concurrent;
using System.Collections.Immutable;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Roslyn;
using Microsoft.CodeAnalysis;

namespace DestinyDsl.Analyzers;

/// <summary>
/// Roslyn descriptors for the .dnet diagnostics, one per entry of <see cref="DiagnosticCatalog"/> (its DNET0999 is
/// the descriptor the generator uses too). A diagnostic arrives already formatted, so every descriptor's message
/// format is <c>{0}</c>; id, title, category, severity and help link come from the catalog.
/// </summary>
internal static class DnetDescriptors
{
    private static readonly ConcurrentDictionary<string, DiagnosticDescriptor> ById = new(StringComparer.Ordinal);

    /// <summary>Every descriptor the analyzer may report.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All { get; } = DiagnosticCatalog.All
        .Select(info => info.Id == DnetRoslynDiagnostics.InternalError.Id ? DnetRoslynDiagnostics.InternalError : Create(info))
        .ToImmutableArray();

    static DnetDescriptors()
    {
        foreach (var descriptor in All) ById[descriptor.Id] = descriptor;
    }

    /// <summary>The descriptor of a catalog id, or null for an id the catalog does not know (a Language bug).</summary>
    public static DiagnosticDescriptor? Find(string id) => ById.TryGetValue(id, out var descriptor) ? descriptor : null;

    private static DiagnosticDescriptor Create(DiagnosticDescriptorInfo info) => new(
        info.Id,
        title: info.Title,
        messageFormat: "{0}",
        category: info.Category,
        defaultSeverity: ToRoslyn(info.Severity),
        isEnabledByDefault: true,
        description: info.MessageFormat,
        helpLinkUri: info.HelpLink,
        customTags: info.Severity == DnetSeverity.Error ? new[] { WellKnownDiagnosticTags.NotConfigurable } : Array.Empty<string>());

    public static DiagnosticSeverity ToRoslyn(DnetSeverity severity) => severity switch
    {
        DnetSeverity.Error => DiagnosticSeverity.Error,
        DnetSeverity.Warning => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Info,
    };
}
