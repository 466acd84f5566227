using System.Collections.Concurrent;
using System.Collections.Immutable;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Roslyn;
using Microsoft.CodeAnalysis;

namespace DestinyDsl.Analyzers;

/// <summary>
/// Roslyn descriptors for the .dnet diagnostics, one per entry of <see cref="DiagnosticCatalog"/> (its DNET0999 is
/// the descriptor the generator uses too). A diagnostic arrives already formatted, so every descriptor's message
/// format is <c>{0}</c>; id, title, category and severity come from the catalog. The help link points at the build's
/// <c>DestinyDslDiagnosticsHelpUrl</c> (the docs inside the package by default), or is absent: descriptors are made
/// per configured address (Roslyn matches reported diagnostics to the supported ones by id).
/// </summary>
internal static class DnetDescriptors
{
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, DiagnosticDescriptor>> ByUrl = new(StringComparer.Ordinal);

    /// <summary>Every descriptor the analyzer may report (without help links).</summary>
    public static ImmutableArray<DiagnosticDescriptor> All { get; } = Build(null);

    /// <summary>The descriptor of a catalog id with help links into <paramref name="documentUrl"/>, or null for an id the catalog does not know (a Language bug).</summary>
    public static DiagnosticDescriptor? Find(string id, string? documentUrl = null)
    {
        var table = ByUrl.GetOrAdd(documentUrl ?? "", url => Build(url.Length == 0 ? null : url).ToDictionary(d => d.Id, StringComparer.Ordinal));
        return table.TryGetValue(id, out var descriptor) ? descriptor : null;
    }

    private static ImmutableArray<DiagnosticDescriptor> Build(string? documentUrl) => DiagnosticCatalog.All
        .Select(info => info.Id == DnetRoslynDiagnostics.InternalError.Id ? DnetRoslynDiagnostics.InternalError : Create(info, documentUrl))
        .ToImmutableArray();

    private static DiagnosticDescriptor Create(DiagnosticDescriptorInfo info, string? documentUrl) => new(
        info.Id,
        title: info.Title,
        messageFormat: "{0}",
        category: info.Category,
        defaultSeverity: ToRoslyn(info.Severity),
        isEnabledByDefault: true,
        description: info.MessageFormat,
        helpLinkUri: info.HelpLink(documentUrl),
        customTags: info.Severity == DnetSeverity.Error ? new[] { WellKnownDiagnosticTags.NotConfigurable } : Array.Empty<string>());

    public static DiagnosticSeverity ToRoslyn(DnetSeverity severity) => severity switch
    {
        DnetSeverity.Error => DiagnosticSeverity.Error,
        DnetSeverity.Warning => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Info,
    };
}
