using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DestinyDsl.SourceGenerator.Pipeline;

/// <summary>
/// A location held by value (path, span, line span): unlike <see cref="Location"/> it compares structurally and
/// holds no syntax tree, so pipeline models that carry it cache across unrelated edits.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>The start of a file.</summary>
    public static LocationInfo StartOf(string path) => new(path, default, default);

    /// <summary>Rebuilds the Roslyn location (only inside a source-output callback).</summary>
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}

/// <summary>A DNET0999 to report: where, and what failed.</summary>
internal sealed record GeneratorFailure(LocationInfo Location, string Message);
