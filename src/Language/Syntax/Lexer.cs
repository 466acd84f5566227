using System.Globalization;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Syntax;

/// <summary>
/// Turns text into tokens in one left-to-right pass (linear time, no backtracking). Whitespace and comments are
/// skipped; characters that start no token are reported once per run and skipped, so the token stream is always
/// usable. Never throws.
/// </summary>
internal sealed class Lexer
{
    private readonly SourceText _source;
    private readonly string _text;
    private readonly DiagnosticBag _diagnostics;
    private readonly List<SyntaxToken> _tokens = new();
    private int _pos;
    private bool _atLineStart = true;

    private Lexer(SourceText source, DiagnosticBag diagnostics)
    {
        _source = source;
        _text = source.Text;
        _diagnostics = diagnostics;
    }

    /// <summary>Lexes the whole text; the last token is always <see cref="SyntaxKind.EndOfFile"/>.</summary>
    public static List<SyntaxToken> Lex(SourceText source, DiagnosticBag diagnostics)
    {
        var lexer = new Lexer(source, diagnostics);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (true)
        {
            SkipTrivia();
            if (_pos >= _text.Length)
            {
                _tokens.Add(new SyntaxToken(SyntaxKind.EndOfFile, string.Empty, _source.GetSpan(_text.Length, 0), _atLineStart, false, double.NaN));
                return;
            }
            if (!TryLexToken()) SkipBadCharacters();
        }
    }

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            var lineBreak = SourceText.LineBreakLength(_text, _pos);
            if (lineBreak > 0)
            {
                _pos += lineBreak;
                _atLineStart = true;
            }
            else if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                while (_pos < _text.Length && !SourceText.IsLineBreak(_text[_pos])) _pos++;
            }
            else if (c == '/' && Peek(1) == '*')
            {
                SkipBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipBlockComment()
    {
        var start = _pos;
        _pos += 2;
        while (_pos < _text.Length)
        {
            if (_text[_pos] == '*' && Peek(1) == '/')
            {
                _pos += 2;
                return;
            }
            if (SourceText.IsLineBreak(_text[_pos])) _atLineStart = true;
            _pos++;
        }
        _diagnostics.Report(DiagnosticCatalog.UnterminatedComment, _source.GetSpan(start, 2));
    }

    private bool TryLexToken()
    {
        var c = _text[_pos];
        if (IsIdentifierStart(c))
        {
            LexIdentifier();
            return true;
        }
        if (IsDigit(c) || (c == '.' && IsDigit(Peek(1))))
        {
            LexNumber();
            return true;
        }
        var kind = c switch
        {
            '{' => SyntaxKind.OpenBrace,
            '}' => SyntaxKind.CloseBrace,
            '(' => SyntaxKind.OpenParen,
            ')' => SyntaxKind.CloseParen,
            ',' => SyntaxKind.Comma,
            ';' => SyntaxKind.Semicolon,
            ':' => SyntaxKind.Colon,
            '=' => SyntaxKind.EqualsToken,
            '-' when Peek(1) == '>' => SyntaxKind.TieArrow,
            '-' => SyntaxKind.Minus,
            '+' => SyntaxKind.Plus,
            '.' => Peek(1) == '.' ? SyntaxKind.DotDot : SyntaxKind.Dot,
            '<' when Peek(1) == '-' => SyntaxKind.Arrow,
            _ => SyntaxKind.EndOfFile, // "none"
        };
        if (kind == SyntaxKind.EndOfFile) return false;
        var text = Keywords.TextOf(kind);
        Add(kind, _pos, text.Length, text, double.NaN);
        return true;
    }

    private void LexIdentifier()
    {
        var start = _pos;
        while (_pos < _text.Length && IsIdentifierPart(_text[_pos])) _pos++;
        var text = _text.Substring(start, _pos - start);
        AddAt(Keywords.Classify(text), start, text, double.NaN);
    }

    private void LexNumber()
    {
        var start = _pos;
        string? problem = null;
        while (IsDigit(Peek(0))) _pos++;
        if (Peek(0) == '.' && IsDigit(Peek(1)))
        {
            _pos++;
            while (IsDigit(Peek(0))) _pos++;
        }
        if (Peek(0) is 'e' or 'E')
        {
            var afterE = Peek(1) is '+' or '-' ? 2 : 1;
            if (IsDigit(Peek(afterE)))
            {
                _pos += afterE;
                while (IsDigit(Peek(0))) _pos++;
            }
            else
            {
                _pos += afterE;
                problem = "digits expected after the exponent";
            }
        }
        var numberEnd = _pos;
        // Letters glued to a number ("128sigmoid", "1x") are one bad token, not a number and a name.
        while (_pos < _text.Length && IsIdentifierPart(_text[_pos])) _pos++;
        if (problem is null && _pos > numberEnd) problem = $"'{_text.Substring(numberEnd, Math.Min(_pos - numberEnd, 16))}' cannot follow the digits; separate them with a space";

        var text = _text.Substring(start, _pos - start);
        var value = double.NaN;
        if (problem is null)
        {
            if (!double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
                || double.IsInfinity(value) || double.IsNaN(value))
            {
                problem = "the value is too large for a double";
                value = double.NaN;
            }
        }
        if (problem is not null)
        {
            _diagnostics.Report(DiagnosticCatalog.InvalidNumber, _source.GetSpan(start, _pos - start), Abbreviate(text), problem);
        }
        AddAt(SyntaxKind.Number, start, text, value);
    }

    private void SkipBadCharacters()
    {
        var start = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (char.IsWhiteSpace(c) || c == '\uFEFF' || SourceText.IsLineBreak(c)) break;
            if (_pos > start && StartsTokenOrTrivia()) break;
            _pos++;
        }
        if (_pos == start) _pos++;
        _diagnostics.Report(DiagnosticCatalog.UnexpectedCharacter, _source.GetSpan(start, _pos - start), DescribeCharacter(_text, start));
    }

    private bool StartsTokenOrTrivia()
    {
        var c = _text[_pos];
        if (IsIdentifierStart(c) || IsDigit(c)) return true;
        if (c == '/' && Peek(1) is '/' or '*') return true;
        if (c == '<') return Peek(1) == '-';
        return "{}(),;:=-+.".IndexOf(c) >= 0;
    }

    private void Add(SyntaxKind kind, int start, int length, string text, double value)
    {
        _pos = start + length;
        AddAt(kind, start, text, value);
    }

    private void AddAt(SyntaxKind kind, int start, string text, double value)
    {
        _tokens.Add(new SyntaxToken(kind, text, _source.GetSpan(start, text.Length), _atLineStart, false, value));
        _atLineStart = false;
    }

    private char Peek(int offset)
    {
        var i = _pos + offset;
        return i < _text.Length ? _text[i] : '\0';
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);

    /// <summary>Shortens long token text for messages.</summary>
    internal static string Abbreviate(string text) => text.Length <= 40 ? text : text.Substring(0, 37) + "...";

    /// <summary>Describes the character at <paramref name="index"/> for a message: <c>'@'</c>, <c>'é' (U+00E9)</c>, <c>U+0000</c>.</summary>
    internal static string DescribeCharacter(string text, int index)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            var codePoint = char.ConvertToUtf32(c, text[index + 1]);
            return $"'{text.Substring(index, 2)}' (U+{codePoint:X4})";
        }
        if (char.IsSurrogate(c) || char.IsControl(c)) return $"U+{(int)c:X4}";
        return c < 128 ? $"'{c}'" : $"'{c}' (U+{(int)c:X4})";
    }
}
