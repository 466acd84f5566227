using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Diagnostics;

/// <summary>A diagnostic found in a <c>.dnet</c> file: catalog id, formatted message and location.</summary>
/// <remarks>Immutable with structural equality; safe to hold in pipeline models.</remarks>
public sealed record DnetDiagnostic(string Id, DnetSeverity Severity, string Message, string FilePath, SourceSpan Span)
{
    /// <summary>Renders as the compiler would: <c>file.dnet(3,5): error DNET0001: message</c>.</summary>
    public override string ToString() =>
        $"{FilePath}{Span}: {Severity.ToString().ToLowerInvariant()} {Id}: {Message}";
}
