using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;

namespace DestinyDsl.Language;

/// <summary>The result of compiling one <c>.dnet</c> file: its networks and every diagnostic.</summary>
/// <remarks>Networks are present only when the file has no errors.</remarks>
public sealed record DnetCompilation(EquatableArray<NetworkModel> Networks, EquatableArray<DnetDiagnostic> Diagnostics)
{
    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DnetSeverity.Error);
}
