using System.Text;
using System.Text.RegularExpressions;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>
/// Deterministic random edits of a valid .dnet text: token deletions, insertions (tokens from the same file, so
/// mutants stay close to the language) and swaps, and raw character deletions, insertions and swaps.
/// </summary>
internal sealed class Mutator
{
    private static readonly Regex TokenPattern = new(@"//[^\n]*|/\*.*?\*/|[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d+)?([eE][-+]?\d+)?|\.\.|<-|\s+|.", RegexOptions.Singleline | RegexOptions.Compiled);
    private static readonly string[] OddCharacters = { "{", "}", "(", ")", ",", "=", ":", ";", ".", "-", "<", "\"", "'", "\\", "/", "*", "\n", "\r\n", "\t", " ", "\0", "é", "λ", "\u200B", "🙂", "9", "e", "_" };
    private readonly Random _random;

    public Mutator(int seed) => _random = new Random(seed);

    public string Mutate(string text)
    {
        var edits = 1 + _random.Next(3);
        for (var i = 0; i < edits; i++) text = MutateOnce(text);
        return text;
    }

    private string MutateOnce(string text)
    {
        var tokens = TokenPattern.Matches(text).Select(m => m.Value).ToList();
        switch (_random.Next(6))
        {
            case 0 when tokens.Count > 0:
                tokens.RemoveAt(_random.Next(tokens.Count));
                return string.Concat(tokens);
            case 1 when tokens.Count > 0:
                tokens.Insert(_random.Next(tokens.Count + 1), tokens[_random.Next(tokens.Count)]);
                return string.Concat(tokens);
            case 2 when tokens.Count > 1:
                var t = _random.Next(tokens.Count - 1);
                (tokens[t], tokens[t + 1]) = (tokens[t + 1], tokens[t]);
                return string.Concat(tokens);
            case 3 when text.Length > 0:
                var at = _random.Next(text.Length);
                return text.Remove(at, Math.Min(1 + _random.Next(3), text.Length - at));
            case 4:
                return text.Insert(_random.Next(text.Length + 1), OddCharacters[_random.Next(OddCharacters.Length)]);
            case 5 when text.Length > 1:
                var c = _random.Next(text.Length - 1);
                var chars = new StringBuilder(text);
                (chars[c], chars[c + 1]) = (chars[c + 1], chars[c]);
                return chars.ToString();
            default:
                return text;
        }
    }
}
