namespace DestinyDsl.Language.Diagnostics;

/// <summary>
/// One entry of the diagnostics catalog: stable id, severity, title and message format.
/// The generator and analyzers map these onto Roslyn descriptors; docs/diagnostics.md documents each.
/// </summary>
public sealed record DiagnosticDescriptorInfo(string Id, DnetSeverity Severity, string Title, string MessageFormat, string Category)
{
    /// <summary>
    /// Link to the entry's section of docs/diagnostics.md at <paramref name="documentUrl"/> (the build's
    /// <c>DestinyDslDiagnosticsHelpUrl</c>: the copy inside the package, or wherever a team publishes it), or null when
    /// none is configured — never a made-up address.
    /// </summary>
    public string? HelpLink(string? documentUrl)
        => string.IsNullOrWhiteSpace(documentUrl) ? null : documentUrl!.Trim() + "#" + Id.ToLowerInvariant();
}
