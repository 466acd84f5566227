namespace DestinyDsl.Language.Text;

/// <summary>
/// A range of characters in a <c>.dnet</c> file: offsets plus zero-based line/column of both ends.
/// Lines and columns are zero-based here (Roslyn's convention); people see them one-based.
/// </summary>
/// <remarks>Value type with structural equality; safe to hold in pipeline models.</remarks>
public readonly record struct SourceSpan(int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>Offset one past the last character.</summary>
    public int End => Start + Length;

    /// <summary>"(line,col)" one-based, as compilers print it.</summary>
    public override string ToString() => $"({StartLine + 1},{StartColumn + 1})";
}
