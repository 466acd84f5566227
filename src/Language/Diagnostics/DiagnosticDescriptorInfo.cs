namespace DestinyDsl.Language.Diagnostics;

/// <summary>
/// One entry of the diagnostics catalog: stable id, severity, title and message format.
/// The generator and analyzers map these onto Roslyn descriptors; docs/diagnostics.md documents each.
/// </summary>
public sealed record DiagnosticDescriptorInfo(string Id, DnetSeverity Severity, string Title, string MessageFormat, string Category)
{
    /// <summary>Link to the entry's documentation.</summary>
    public string HelpLink => "https://github.com/destinydsl/destinydsl/blob/main/docs/diagnostics.md#" + Id.ToLowerInvariant();
}
