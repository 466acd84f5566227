using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Syntax;

/// <summary>
/// One token with its exact span. Missing tokens (synthesised by error recovery so the tree stays whole) have
/// <see cref="IsMissing"/> set, empty text and a zero-length span just after the token before them.
/// </summary>
public sealed class SyntaxToken
{
    internal SyntaxToken(SyntaxKind kind, string text, SourceSpan span, bool isFirstOnLine, bool isMissing, double value)
    {
        Kind = kind;
        Text = text;
        Span = span;
        IsFirstOnLine = isFirstOnLine;
        IsMissing = isMissing;
        Value = value;
    }

    /// <summary>What the token is.</summary>
    public SyntaxKind Kind { get; }

    /// <summary>The characters of the token (empty when missing).</summary>
    public string Text { get; }

    /// <summary>Where the token is.</summary>
    public SourceSpan Span { get; }

    /// <summary>True when only whitespace and comments precede the token on its line (or it is the first token).</summary>
    public bool IsFirstOnLine { get; }

    /// <summary>True when the token was not in the text and the parser synthesised it.</summary>
    public bool IsMissing { get; }

    /// <summary>For numbers: the value, or NaN when the number was malformed (already reported).</summary>
    public double Value { get; }

    /// <summary>Offset one past the token.</summary>
    public int End => Span.End;

    /// <inheritdoc/>
    public override string ToString() => IsMissing ? $"<missing {Kind}>" : Text;
}
