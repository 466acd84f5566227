using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>Turns .dnet names into C# identifiers (PascalCase members, camelCase parameters, keyword-safe).</summary>
internal static class CSharpNames
{
    /// <summary><c>h1</c> → <c>H1</c>, <c>learning_rate</c> → <c>LearningRate</c>, <c>userFeatures</c> → <c>UserFeatures</c>.</summary>
    public static string Pascal(string name)
    {
        var result = new StringBuilder(name.Length);
        var upperNext = true;
        foreach (var ch in name)
        {
            if (ch == '_')
            {
                upperNext = true;
                continue;
            }
            var valid = result.Length == 0 ? SyntaxFacts.IsIdentifierStartCharacter(ch) || char.IsDigit(ch) : SyntaxFacts.IsIdentifierPartCharacter(ch);
            var c = valid ? ch : '_';
            result.Append(upperNext ? char.ToUpperInvariant(c) : c);
            upperNext = false;
        }
        // An identifier cannot start with a digit (`_1` → `_1`) and cannot be empty (`_` → `_`).
        if (result.Length == 0 || char.IsDigit(result[0])) result.Insert(0, '_');
        return result.ToString();
    }

    /// <summary><c>UserFeatures</c> → <c>userFeatures</c>, as a parameter name (keywords escaped with <c>@</c>).</summary>
    public static string Camel(string pascal)
    {
        var camel = pascal.Length > 0 && char.IsUpper(pascal[0]) ? char.ToLowerInvariant(pascal[0]) + pascal.Substring(1) : pascal;
        return Escape(camel);
    }

    /// <summary>Escapes a name that is a C# keyword (<c>class</c> → <c>@class</c>).</summary>
    public static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;

    /// <summary>A file name as a .dnet path's stem, safe in a hint name.</summary>
    public static string HintSafe(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var ch in text) result.Append(char.IsLetterOrDigit(ch) || ch is '_' or '-' or '.' ? ch : '_');
        return result.Length == 0 ? "_" : result.ToString();
    }
}

/// <summary>
/// Hands out member names inside one generated type so that nothing collides: names the runtime's base class
/// and object already use, names the generator itself uses, and names derived from two .dnet names that
/// PascalCase to the same identifier (<c>a_b</c> and <c>aB</c>). A colliding name gets a suffix, then a number.
/// </summary>
internal sealed class MemberNames
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public MemberNames(IEnumerable<string> reserved)
    {
        foreach (var name in reserved) _taken.Add(name);
    }

    /// <summary>Reserves <paramref name="preferred"/>, or <paramref name="preferred"/> + <paramref name="suffix"/>, then numbered variants.</summary>
    public string Take(string preferred, string suffix)
    {
        if (_taken.Add(preferred)) return preferred;
        var candidate = preferred + suffix;
        for (var n = 2; !_taken.Add(candidate); n++) candidate = preferred + suffix + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return candidate;
    }
}
