using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;

namespace DestinyDsl.Language;

/// <summary>Entry point of the front end: text in, checked networks and diagnostics out. Never throws.</summary>
public static class DnetCompiler
{
    /// <summary>
    /// Lexes, parses and binds a <c>.dnet</c> file.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="filePath">Path used in diagnostics.</param>
    /// <param name="defaultNamespace">Namespace used when the file has no <c>namespace</c> declaration (the project's RootNamespace); may be null.</param>
    public static DnetCompilation Compile(string text, string filePath, string? defaultNamespace = null)
    {
        // Placeholder until the parser and binder land: reports nothing and produces nothing.
        return new DnetCompilation(EquatableArray<NetworkModel>.Empty, EquatableArray<DnetDiagnostic>.Empty);
    }
}
