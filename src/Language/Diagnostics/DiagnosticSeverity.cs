namespace DestinyDsl.Language.Diagnostics;

/// <summary>Severity of a <c>.dnet</c> diagnostic (mapped one-to-one onto Roslyn's).</summary>
public enum DnetSeverity
{
    /// <summary>Informational message.</summary>
    Info,
    /// <summary>Suspicious but valid; generation goes on.</summary>
    Warning,
    /// <summary>Invalid; no code is generated for the file.</summary>
    Error,
}
