namespace DestinyDsl.Language.Syntax;

/// <summary>The reserved words of the language and how tokens are described in messages.</summary>
/// <remarks>
/// Only the structural words are reserved (they can never be names), so that error recovery can trust them:
/// a <c>network</c> or <c>hidden</c> always starts a new construct. Activation, loss, optimizer and setting
/// names are ordinary identifiers looked up by the binder.
/// </remarks>
public static class Keywords
{
    private static readonly Dictionary<string, SyntaxKind> ByText = new(StringComparer.Ordinal)
    {
        ["namespace"] = SyntaxKind.NamespaceKeyword,
        ["network"] = SyntaxKind.NetworkKeyword,
        ["input"] = SyntaxKind.InputKeyword,
        ["hidden"] = SyntaxKind.HiddenKeyword,
        ["output"] = SyntaxKind.OutputKeyword,
        ["loss"] = SyntaxKind.LossKeyword,
        ["optimizer"] = SyntaxKind.OptimizerKeyword,
        ["train"] = SyntaxKind.TrainKeyword,
        ["target"] = SyntaxKind.TargetKeyword,
        ["sparse"] = SyntaxKind.SparseKeyword,
        ["auto"] = SyntaxKind.AutoKeyword,
        ["tune"] = SyntaxKind.TuneKeyword,
        ["choice"] = SyntaxKind.ChoiceKeyword,
        ["true"] = SyntaxKind.TrueKeyword,
        ["false"] = SyntaxKind.FalseKeyword,
    };

    /// <summary>Every reserved word.</summary>
    public static IReadOnlyCollection<string> All => ByText.Keys;

    /// <summary>The words that start a statement inside a network block.</summary>
    public static IReadOnlyList<string> StatementWords { get; } = new[] { "input", "hidden", "output", "loss", "optimizer", "train" };

    /// <summary>The words that start a declaration at the top of a file.</summary>
    public static IReadOnlyList<string> TopLevelWords { get; } = new[] { "network", "namespace" };

    /// <summary>The keyword kind of <paramref name="text"/>, or <see cref="SyntaxKind.Identifier"/>.</summary>
    public static SyntaxKind Classify(string text) => ByText.TryGetValue(text, out var kind) ? kind : SyntaxKind.Identifier;

    /// <summary>True for reserved words.</summary>
    public static bool IsKeyword(SyntaxKind kind) => kind >= SyntaxKind.NamespaceKeyword && kind <= SyntaxKind.FalseKeyword;

    /// <summary>True for the keywords that start a statement in a network body.</summary>
    public static bool IsStatementKeyword(SyntaxKind kind) =>
        kind is SyntaxKind.InputKeyword or SyntaxKind.HiddenKeyword or SyntaxKind.OutputKeyword
            or SyntaxKind.LossKeyword or SyntaxKind.OptimizerKeyword or SyntaxKind.TrainKeyword;

    /// <summary>True for the keywords that start a top-level declaration.</summary>
    public static bool IsTopLevelKeyword(SyntaxKind kind) => kind is SyntaxKind.NetworkKeyword or SyntaxKind.NamespaceKeyword;

    /// <summary>The fixed text of a punctuation or keyword kind (empty for identifiers, numbers and end of file).</summary>
    public static string TextOf(SyntaxKind kind) => kind switch
    {
        SyntaxKind.OpenBrace => "{",
        SyntaxKind.CloseBrace => "}",
        SyntaxKind.OpenParen => "(",
        SyntaxKind.CloseParen => ")",
        SyntaxKind.Comma => ",",
        SyntaxKind.Semicolon => ";",
        SyntaxKind.Colon => ":",
        SyntaxKind.EqualsToken => "=",
        SyntaxKind.Arrow => "<-",
        SyntaxKind.TieArrow => "->",
        SyntaxKind.DotDot => "..",
        SyntaxKind.Dot => ".",
        SyntaxKind.Minus => "-",
        SyntaxKind.Plus => "+",
        _ when IsKeyword(kind) => ByText.First(p => p.Value == kind).Key,
        _ => string.Empty,
    };
}
