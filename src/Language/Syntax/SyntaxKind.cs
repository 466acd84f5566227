namespace DestinyDsl.Language.Syntax;

/// <summary>Kinds of tokens in a <c>.dnet</c> file.</summary>
public enum SyntaxKind
{
    /// <summary>End of the text (always the last token).</summary>
    EndOfFile,
    /// <summary><c>[A-Za-z_][A-Za-z0-9_]*</c> that is not a keyword.</summary>
    Identifier,
    /// <summary>An unsigned number: <c>256</c>, <c>0.01</c>, <c>1e-4</c>, <c>2.5E+3</c>, <c>.5</c>.</summary>
    Number,

    /// <summary><c>namespace</c></summary>
    NamespaceKeyword,
    /// <summary><c>network</c></summary>
    NetworkKeyword,
    /// <summary><c>input</c></summary>
    InputKeyword,
    /// <summary><c>hidden</c></summary>
    HiddenKeyword,
    /// <summary><c>output</c></summary>
    OutputKeyword,
    /// <summary><c>loss</c></summary>
    LossKeyword,
    /// <summary><c>optimizer</c></summary>
    OptimizerKeyword,
    /// <summary><c>train</c></summary>
    TrainKeyword,
    /// <summary><c>target</c></summary>
    TargetKeyword,
    /// <summary><c>sparse</c></summary>
    SparseKeyword,
    /// <summary><c>auto</c></summary>
    AutoKeyword,
    /// <summary><c>tune</c></summary>
    TuneKeyword,
    /// <summary><c>choice</c></summary>
    ChoiceKeyword,
    /// <summary><c>true</c></summary>
    TrueKeyword,
    /// <summary><c>false</c></summary>
    FalseKeyword,

    /// <summary><c>{</c></summary>
    OpenBrace,
    /// <summary><c>}</c></summary>
    CloseBrace,
    /// <summary><c>(</c></summary>
    OpenParen,
    /// <summary><c>)</c></summary>
    CloseParen,
    /// <summary><c>,</c></summary>
    Comma,
    /// <summary><c>;</c></summary>
    Semicolon,
    /// <summary><c>:</c></summary>
    Colon,
    /// <summary><c>=</c></summary>
    EqualsToken,
    /// <summary><c>&lt;-</c></summary>
    Arrow,
    /// <summary><c>-&gt;</c> (only inside <c>tied(a -&gt; b)</c>: the direction of the edge it names)</summary>
    TieArrow,
    /// <summary><c>..</c></summary>
    DotDot,
    /// <summary><c>.</c></summary>
    Dot,
    /// <summary><c>-</c></summary>
    Minus,
    /// <summary><c>+</c></summary>
    Plus,
}
