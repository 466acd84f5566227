namespace DestinyDsl.Language.Text;

/// <summary>
/// The text of one <c>.dnet</c> file with its line starts, so offsets turn into exact line/column spans.
/// </summary>
/// <remarks>
/// Line breaks are the ones Roslyn's <c>SourceText</c> recognises (<c>\r\n</c>, <c>\r</c>, <c>\n</c>, U+0085,
/// U+2028, U+2029), so a span computed here matches the one the IDE computes for the same offsets.
/// Columns count UTF-16 code units from the start of the line.
/// </remarks>
public sealed class SourceText
{
    private readonly int[] _lineStarts;

    /// <summary>Indexes <paramref name="text"/> (null is treated as empty).</summary>
    public SourceText(string? text)
    {
        Text = text ?? string.Empty;
        _lineStarts = ComputeLineStarts(Text);
    }

    /// <summary>The whole text.</summary>
    public string Text { get; }

    /// <summary>Number of characters.</summary>
    public int Length => Text.Length;

    /// <summary>Number of lines (an empty text has one).</summary>
    public int LineCount => _lineStarts.Length;

    /// <summary>The span of <paramref name="length"/> characters from <paramref name="start"/>, clamped into the text.</summary>
    public SourceSpan GetSpan(int start, int length)
    {
        if (start < 0) start = 0;
        if (start > Text.Length) start = Text.Length;
        if (length < 0) length = 0;
        if (start + length > Text.Length) length = Text.Length - start;
        var (startLine, startColumn) = GetLineColumn(start);
        var (endLine, endColumn) = GetLineColumn(start + length);
        return new SourceSpan(start, length, startLine, startColumn, endLine, endColumn);
    }

    /// <summary>The span from <paramref name="start"/> to <paramref name="end"/> (exclusive).</summary>
    public SourceSpan GetSpanBetween(int start, int end) => GetSpan(start, end - start);

    /// <summary>Zero-based line and column of an offset.</summary>
    public (int Line, int Column) GetLineColumn(int offset)
    {
        // Binary search for the last line start at or before the offset.
        int lo = 0, hi = _lineStarts.Length - 1;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo + 1) / 2);
            if (_lineStarts[mid] <= offset) lo = mid;
            else hi = mid - 1;
        }
        return (lo, offset - _lineStarts[lo]);
    }

    /// <summary>True for the characters that end a line (a <c>\r\n</c> pair counts once, see <see cref="LineBreakLength"/>).</summary>
    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>Length of the line break starting at <paramref name="index"/> (0 when there is none).</summary>
    public static int LineBreakLength(string text, int index)
    {
        if (index >= text.Length) return 0;
        var c = text[index];
        if (c == '\r') return index + 1 < text.Length && text[index + 1] == '\n' ? 2 : 1;
        return IsLineBreak(c) ? 1 : 0;
    }

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        var i = 0;
        while (i < text.Length)
        {
            var breakLength = LineBreakLength(text, i);
            if (breakLength == 0)
            {
                i++;
                continue;
            }
            i += breakLength;
            starts.Add(i);
        }
        return starts.ToArray();
    }
}
