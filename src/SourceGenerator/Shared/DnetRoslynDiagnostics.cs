using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SourceText = Microsoft.CodeAnalysis.Text.SourceText;

namespace DestinyDsl.Roslyn;

/// <summary>DNET0999 and the conversion of .dnet spans into Roslyn locations, shared by the generator and the analyzer.</summary>
internal static class DnetRoslynDiagnostics
{
    /// <summary>The catalog's internal-error id (a constant, as release tracking wants; a test checks it matches).</summary>
    public const string InternalErrorId = "DNET0999";

    /// <summary>
    /// DNET0999, the catalog's internal-error id, shared by the front end (a bug while compiling a file), the
    /// generator and the analyzer (their own failures). The message is complete when reported, so the format is
    /// <c>{0}</c>; the generator's messages read "internal error in the DestinyDsl generator: …".
    /// </summary>
    public static readonly DiagnosticDescriptor InternalError = new(
        InternalErrorId,
        title: DiagnosticCatalog.InternalError.Title,
        messageFormat: "{0}",
        category: DiagnosticCatalog.InternalError.Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The DestinyDsl compiler, generator or analyzer failed on this file. This is a bug in DestinyDsl, not in the file; please report it with the file.",
        helpLinkUri: null,
        customTags: WellKnownDiagnosticTags.NotConfigurable);

    /// <summary>The message of a generator failure.</summary>
    public static string GeneratorFailure(string what) => "internal error in the DestinyDsl generator: " + what;

    /// <summary>The message of an analyzer failure.</summary>
    public static string AnalyzerFailure(string what) => "internal error in the DestinyDsl analyzer: " + what;

    /// <summary>
    /// A location inside the .dnet file at <paramref name="path"/>. The span is clamped to the text so that a
    /// wrong span can never point outside the file (Roslyn prints it as <c>file.dnet(line,col)</c>).
    /// </summary>
    public static Location ToLocation(string path, SourceText text, SourceSpan span)
    {
        var start = Math.Max(0, Math.Min(span.Start, text.Length));
        var end = Math.Max(start, Math.Min(span.Start + Math.Max(0, span.Length), text.Length));
        var textSpan = TextSpan.FromBounds(start, end);
        return Location.Create(path, textSpan, text.Lines.GetLinePositionSpan(textSpan));
    }

    /// <summary>A location at the start of the file (for failures that have no better place).</summary>
    public static Location FileLocation(string path) =>
        Location.Create(path, default, new LinePositionSpan(default, default));

    /// <summary>One line of an exception for DNET0999: type, message and the innermost frame that points at us.</summary>
    public static string Describe(Exception exception)
    {
        var frame = exception.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return $"{exception.GetType().Name}: {exception.Message}{(frame is null ? "" : " (" + frame + ")")}";
    }
}
