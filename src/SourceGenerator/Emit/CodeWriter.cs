using System.Text;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>
/// An indented text writer for generated C#: the cookbook's recommendation (no syntax trees, no
/// NormalizeWhitespace). Lines end with <c>\n</c> whatever the host, so output is byte-identical everywhere.
/// </summary>
internal sealed class CodeWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _text = new();
    private int _depth;

    /// <summary>Writes one line at the current indentation (an empty line has no trailing spaces).</summary>
    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            for (var i = 0; i < _depth; i++) _text.Append(IndentUnit);
            _text.Append(line);
        }
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes a line at column 0 whatever the indentation (preprocessor directives).</summary>
    public CodeWriter Directive(string line)
    {
        _text.Append(line).Append('\n');
        return this;
    }

    /// <summary>Writes <c>{</c> and indents.</summary>
    public CodeWriter Open(string brace = "{")
    {
        Line(brace);
        _depth++;
        return this;
    }

    /// <summary>Outdents and writes <c>}</c> (or the given closing text, e.g. <c>});</c>).</summary>
    public CodeWriter Close(string brace = "}")
    {
        _depth--;
        return Line(brace);
    }

    /// <summary>Writes a one-line XML doc summary (the text is escaped here).</summary>
    public CodeWriter Summary(string text) => Line("/// <summary>" + CSharpLiterals.XmlEscape(text) + "</summary>");

    /// <summary>Writes a one-line XML doc summary whose text is already XML (for <c>&lt;c&gt;</c> and <c>&lt;see&gt;</c>).</summary>
    public CodeWriter SummaryXml(string xml) => Line("/// <summary>" + xml + "</summary>");

    public override string ToString() => _text.ToString();
}
