using DestinyDsl.Language.Binding;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

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
    /// <returns>The networks (only when the file has no errors) and every diagnostic, sorted by position.</returns>
    public static DnetCompilation Compile(string text, string filePath, string? defaultNamespace = null) =>
        Compile(text, filePath, defaultNamespace, afterParse: null);

    /// <summary>Parses only (for tools and tests that want the syntax tree).</summary>
    public static DnetSyntaxTree Parse(string text, string filePath = "") => DnetSyntaxTree.Parse(text, filePath);

    /// <param name="afterParse">Test hook run between parsing and binding (lets tests exercise the internal-error path).</param>
    internal static DnetCompilation Compile(string? text, string? filePath, string? defaultNamespace, Action<DnetSyntaxTree>? afterParse)
    {
        filePath ??= string.Empty;
        var diagnostics = new DiagnosticBag(filePath);
        List<NetworkModel> networks;
        try
        {
            var tree = DnetSyntaxTree.Parse(text, filePath);
            diagnostics.AddRange(tree.Diagnostics);
            afterParse?.Invoke(tree);
            networks = Binder.Bind(tree, defaultNamespace, diagnostics);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug in the compiler, not in the file: say so instead of crashing the build (and keep what was found).
            diagnostics.Report(DiagnosticCatalog.InternalError, default, $"{exception.GetType().Name}: {exception.Message}");
            networks = new List<NetworkModel>();
        }

        // Stable sort: diagnostics at the same position keep the order they were found in.
        var sorted = diagnostics.Items.Select((d, i) => (d, i)).OrderBy(x => x.d.Span.Start).ThenBy(x => x.i).Select(x => x.d).ToEquatableArray();
        var result = diagnostics.HasErrors ? EquatableArray<NetworkModel>.Empty : networks.ToEquatableArray();
        return new DnetCompilation(result, sorted);
    }
}
