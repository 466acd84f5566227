using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Syntax;

// The syntax tree of a .dnet file. Every node keeps its tokens (with exact spans); error recovery synthesises
// missing tokens and values, so every property below is non-null even for broken input.

/// <summary>Base of every node: its span covers its tokens.</summary>
public abstract class SyntaxNode
{
    private protected SyntaxNode(SourceSpan span) => Span = span;

    /// <summary>From the first to the last token of the node.</summary>
    public SourceSpan Span { get; }
}

/// <summary>A whole file: namespace and network declarations in order.</summary>
public sealed class CompilationUnitSyntax : SyntaxNode
{
    internal CompilationUnitSyntax(SourceSpan span, IReadOnlyList<DeclarationSyntax> declarations, SyntaxToken endOfFile) : base(span)
    {
        Declarations = declarations;
        EndOfFile = endOfFile;
    }

    /// <summary>Top-level declarations in file order.</summary>
    public IReadOnlyList<DeclarationSyntax> Declarations { get; }

    /// <summary>The end-of-file token.</summary>
    public SyntaxToken EndOfFile { get; }
}

/// <summary>A top-level declaration.</summary>
public abstract class DeclarationSyntax : SyntaxNode
{
    private protected DeclarationSyntax(SourceSpan span) : base(span)
    {
    }
}

/// <summary><c>namespace A.B;</c></summary>
public sealed class NamespaceDeclarationSyntax : DeclarationSyntax
{
    internal NamespaceDeclarationSyntax(SourceSpan span, SyntaxToken keyword, IReadOnlyList<SyntaxToken> nameParts, SyntaxToken semicolon) : base(span)
    {
        Keyword = keyword;
        NameParts = nameParts;
        Semicolon = semicolon;
    }

    /// <summary>The <c>namespace</c> keyword (or the misspelling that stood for it).</summary>
    public SyntaxToken Keyword { get; }

    /// <summary>The dotted name's identifiers.</summary>
    public IReadOnlyList<SyntaxToken> NameParts { get; }

    /// <summary>The terminating <c>;</c>.</summary>
    public SyntaxToken Semicolon { get; }

    /// <summary>The dotted name as written.</summary>
    public string Name => string.Join(".", NameParts.Select(p => p.Text));
}

/// <summary><c>network Name { statements }</c></summary>
public sealed class NetworkDeclarationSyntax : DeclarationSyntax
{
    internal NetworkDeclarationSyntax(SourceSpan span, SyntaxToken keyword, SyntaxToken name, SyntaxToken openBrace, IReadOnlyList<StatementSyntax> statements, SyntaxToken closeBrace) : base(span)
    {
        Keyword = keyword;
        Name = name;
        OpenBrace = openBrace;
        Statements = statements;
        CloseBrace = closeBrace;
    }

    /// <summary>The <c>network</c> keyword.</summary>
    public SyntaxToken Keyword { get; }

    /// <summary>The network's name.</summary>
    public SyntaxToken Name { get; }

    /// <summary><c>{</c></summary>
    public SyntaxToken OpenBrace { get; }

    /// <summary>Layers, loss, optimizer and train statements in order.</summary>
    public IReadOnlyList<StatementSyntax> Statements { get; }

    /// <summary><c>}</c></summary>
    public SyntaxToken CloseBrace { get; }
}

/// <summary>A statement inside a network block.</summary>
public abstract class StatementSyntax : SyntaxNode
{
    private protected StatementSyntax(SourceSpan span, SyntaxToken keyword) : base(span) => Keyword = keyword;

    /// <summary>The keyword that starts the statement (<c>hidden</c>, <c>loss</c>…).</summary>
    public SyntaxToken Keyword { get; }
}

/// <summary><c>input|hidden|output NAME : [sparse] WIDTH clauses…</c></summary>
public sealed class LayerDeclarationSyntax : StatementSyntax
{
    internal LayerDeclarationSyntax(SourceSpan span, SyntaxToken keyword, Model.LayerKind kind, SyntaxToken name, SyntaxToken colon, ValueSyntax width, IReadOnlyList<LayerClauseSyntax> clauses)
        : base(span, keyword)
    {
        Kind = kind;
        Name = name;
        Colon = colon;
        Width = width;
        Clauses = clauses;
    }

    /// <summary>Input, hidden or output.</summary>
    public Model.LayerKind Kind { get; }

    /// <summary>The layer's name.</summary>
    public SyntaxToken Name { get; }

    /// <summary><c>:</c></summary>
    public SyntaxToken Colon { get; }

    /// <summary>The width: a number (possibly tuned), <c>auto</c>, <c>choice(...)</c>, or a missing value.</summary>
    public ValueSyntax Width { get; }

    /// <summary><c>sparse</c>, activation, modifiers, sources and target, in the order written.</summary>
    public IReadOnlyList<LayerClauseSyntax> Clauses { get; }
}

/// <summary>One clause of a layer declaration.</summary>
public abstract class LayerClauseSyntax : SyntaxNode
{
    private protected LayerClauseSyntax(SourceSpan span) : base(span)
    {
    }
}

/// <summary><c>sparse</c></summary>
public sealed class SparseClauseSyntax : LayerClauseSyntax
{
    internal SparseClauseSyntax(SyntaxToken keyword) : base(keyword.Span) => Keyword = keyword;

    /// <summary>The <c>sparse</c> keyword.</summary>
    public SyntaxToken Keyword { get; }
}

/// <summary>An activation (<c>sigmoid</c>, <c>leaky_relu(0.2)</c>) or a modifier (<c>dropout(0.1)</c>, <c>init(xavier)</c>…).</summary>
public sealed class CallClauseSyntax : LayerClauseSyntax
{
    internal CallClauseSyntax(CallSyntax call) : base(call.Span) => Call = call;

    /// <summary>The name and its arguments.</summary>
    public CallSyntax Call { get; }
}

/// <summary><c>&lt;- a, b</c></summary>
public sealed class SourcesClauseSyntax : LayerClauseSyntax
{
    internal SourcesClauseSyntax(SourceSpan span, SyntaxToken arrow, IReadOnlyList<SyntaxToken> names) : base(span)
    {
        Arrow = arrow;
        Names = names;
    }

    /// <summary><c>&lt;-</c></summary>
    public SyntaxToken Arrow { get; }

    /// <summary>The source layers' names.</summary>
    public IReadOnlyList<SyntaxToken> Names { get; }
}

/// <summary><c>tied(OWNER_SOURCE -&gt; OWNER_TARGET)</c>: the edge OWNER_TARGET → this layer uses the transpose of the edge OWNER_SOURCE → OWNER_TARGET's weights.</summary>
public sealed class TiedClauseSyntax : LayerClauseSyntax
{
    internal TiedClauseSyntax(SourceSpan span, SyntaxToken keyword, SyntaxToken source, SyntaxToken arrow, SyntaxToken target) : base(span)
    {
        Keyword = keyword;
        Source = source;
        Arrow = arrow;
        Target = target;
    }

    /// <summary>The word <c>tied</c>.</summary>
    public SyntaxToken Keyword { get; }

    /// <summary>The source of the owning edge (<c>items</c> in <c>tied(items -&gt; h1)</c>).</summary>
    public SyntaxToken Source { get; }

    /// <summary><c>-&gt;</c></summary>
    public SyntaxToken Arrow { get; }

    /// <summary>The target of the owning edge, which must be a source of the tied layer (<c>h1</c>).</summary>
    public SyntaxToken Target { get; }
}

/// <summary><c>target NAME</c></summary>
public sealed class TargetClauseSyntax : LayerClauseSyntax
{
    internal TargetClauseSyntax(SourceSpan span, SyntaxToken keyword, SyntaxToken name) : base(span)
    {
        Keyword = keyword;
        Name = name;
    }

    /// <summary>The <c>target</c> keyword.</summary>
    public SyntaxToken Keyword { get; }

    /// <summary>The input layer named as target.</summary>
    public SyntaxToken Name { get; }
}

/// <summary><c>loss NAME[(args)]</c></summary>
public sealed class LossStatementSyntax : StatementSyntax
{
    internal LossStatementSyntax(SourceSpan span, SyntaxToken keyword, CallSyntax call) : base(span, keyword) => Call = call;

    /// <summary>The loss and its arguments.</summary>
    public CallSyntax Call { get; }
}

/// <summary><c>optimizer NAME[(args)]</c></summary>
public sealed class OptimizerStatementSyntax : StatementSyntax
{
    internal OptimizerStatementSyntax(SourceSpan span, SyntaxToken keyword, CallSyntax call) : base(span, keyword) => Call = call;

    /// <summary>The optimizer and its arguments.</summary>
    public CallSyntax Call { get; }
}

/// <summary><c>train setting, setting…</c> (each <c>name = value</c> or <c>name(args)</c>).</summary>
public sealed class TrainStatementSyntax : StatementSyntax
{
    internal TrainStatementSyntax(SourceSpan span, SyntaxToken keyword, IReadOnlyList<ArgumentSyntax> settings) : base(span, keyword) => Settings = settings;

    /// <summary>The settings in order.</summary>
    public IReadOnlyList<ArgumentSyntax> Settings { get; }
}

/// <summary><c>(a, name = b)</c></summary>
public sealed class ArgumentListSyntax : SyntaxNode
{
    internal ArgumentListSyntax(SourceSpan span, SyntaxToken openParen, IReadOnlyList<ArgumentSyntax> arguments, SyntaxToken closeParen) : base(span)
    {
        OpenParen = openParen;
        Arguments = arguments;
        CloseParen = closeParen;
    }

    /// <summary><c>(</c></summary>
    public SyntaxToken OpenParen { get; }

    /// <summary>The arguments in order.</summary>
    public IReadOnlyList<ArgumentSyntax> Arguments { get; }

    /// <summary><c>)</c></summary>
    public SyntaxToken CloseParen { get; }
}

/// <summary>A positional (<c>value</c>) or named (<c>name = value</c>) argument.</summary>
public sealed class ArgumentSyntax : SyntaxNode
{
    internal ArgumentSyntax(SourceSpan span, SyntaxToken? name, SyntaxToken? equalsToken, ValueSyntax value) : base(span)
    {
        Name = name;
        EqualsToken = equalsToken;
        Value = value;
    }

    /// <summary>The parameter name of a named argument; null for a positional one.</summary>
    public SyntaxToken? Name { get; }

    /// <summary><c>=</c> of a named argument.</summary>
    public SyntaxToken? EqualsToken { get; }

    /// <summary>The value.</summary>
    public ValueSyntax Value { get; }
}

/// <summary>A value: number, choice, keyword (<c>true</c>, <c>false</c>, <c>auto</c>), call, or missing.</summary>
public abstract class ValueSyntax : SyntaxNode
{
    private protected ValueSyntax(SourceSpan span) : base(span)
    {
    }
}

/// <summary><c>[-]NUMBER [tune(...) | choice(...)]</c></summary>
public sealed class NumberSyntax : ValueSyntax
{
    internal NumberSyntax(SourceSpan span, SourceSpan numberSpan, SyntaxToken? sign, SyntaxToken number, SearchRangeSyntax? range) : base(span)
    {
        NumberSpan = numberSpan;
        Sign = sign;
        Number = number;
        Range = range;
    }

    /// <summary><c>-</c> or <c>+</c>, when written.</summary>
    public SyntaxToken? Sign { get; }

    /// <summary>The number token (missing when only a sign was written).</summary>
    public SyntaxToken Number { get; }

    /// <summary>The search range written after the number.</summary>
    public SearchRangeSyntax? Range { get; }

    /// <summary>The signed value; NaN when the number is missing or malformed (already reported).</summary>
    public double Value => Number.IsMissing ? double.NaN : Sign?.Kind == SyntaxKind.Minus ? -Number.Value : Number.Value;

    /// <summary>The number as written, sign included (for messages).</summary>
    public string Text => (Sign?.Text ?? string.Empty) + Number.Text;

    /// <summary>Span of the sign and number only (without the range).</summary>
    public SourceSpan NumberSpan { get; }
}

/// <summary>A search range after a number.</summary>
public abstract class SearchRangeSyntax : SyntaxNode
{
    private protected SearchRangeSyntax(SourceSpan span, SyntaxToken keyword) : base(span) => Keyword = keyword;

    /// <summary><c>tune</c> or <c>choice</c>.</summary>
    public SyntaxToken Keyword { get; }
}

/// <summary><c>tune(LO .. HI [, log] [, int])</c></summary>
public sealed class TuneSyntax : SearchRangeSyntax
{
    internal TuneSyntax(SourceSpan span, SyntaxToken keyword, SyntaxToken openParen, NumberSyntax low, SyntaxToken dotDot, NumberSyntax high, IReadOnlyList<SyntaxToken> flags, SyntaxToken closeParen)
        : base(span, keyword)
    {
        OpenParen = openParen;
        Low = low;
        DotDot = dotDot;
        High = high;
        Flags = flags;
        CloseParen = closeParen;
    }

    /// <summary><c>(</c></summary>
    public SyntaxToken OpenParen { get; }

    /// <summary>Lower bound.</summary>
    public NumberSyntax Low { get; }

    /// <summary><c>..</c></summary>
    public SyntaxToken DotDot { get; }

    /// <summary>Upper bound.</summary>
    public NumberSyntax High { get; }

    /// <summary>The flags (<c>log</c>, <c>int</c>) as written.</summary>
    public IReadOnlyList<SyntaxToken> Flags { get; }

    /// <summary><c>)</c></summary>
    public SyntaxToken CloseParen { get; }
}

/// <summary><c>choice(a, b, c)</c></summary>
public sealed class ChoiceSyntax : SearchRangeSyntax
{
    internal ChoiceSyntax(SourceSpan span, SyntaxToken keyword, SyntaxToken openParen, IReadOnlyList<NumberSyntax> values, SyntaxToken closeParen) : base(span, keyword)
    {
        OpenParen = openParen;
        Values = values;
        CloseParen = closeParen;
    }

    /// <summary><c>(</c></summary>
    public SyntaxToken OpenParen { get; }

    /// <summary>The choices.</summary>
    public IReadOnlyList<NumberSyntax> Values { get; }

    /// <summary><c>)</c></summary>
    public SyntaxToken CloseParen { get; }
}

/// <summary>A bare <c>choice(a, b, c)</c> used as a value (its default is the first choice).</summary>
public sealed class ChoiceValueSyntax : ValueSyntax
{
    internal ChoiceValueSyntax(ChoiceSyntax choice) : base(choice.Span) => Choice = choice;

    /// <summary>The choices.</summary>
    public ChoiceSyntax Choice { get; }
}

/// <summary><c>true</c>, <c>false</c> or <c>auto</c>.</summary>
public sealed class KeywordValueSyntax : ValueSyntax
{
    internal KeywordValueSyntax(SyntaxToken keyword) : base(keyword.Span) => Keyword = keyword;

    /// <summary>The keyword.</summary>
    public SyntaxToken Keyword { get; }
}

/// <summary><c>NAME</c> or <c>NAME(args)</c>: an activation, loss, optimizer, initialiser or setting with arguments.</summary>
public sealed class CallSyntax : ValueSyntax
{
    internal CallSyntax(SourceSpan span, SyntaxToken name, ArgumentListSyntax? arguments) : base(span)
    {
        Name = name;
        Arguments = arguments;
    }

    /// <summary>The name (missing when the parser expected one and found none).</summary>
    public SyntaxToken Name { get; }

    /// <summary>The argument list, when written.</summary>
    public ArgumentListSyntax? Arguments { get; }
}

/// <summary>A value the parser expected but did not find (already reported).</summary>
public sealed class MissingValueSyntax : ValueSyntax
{
    internal MissingValueSyntax(SourceSpan span) : base(span)
    {
    }
}
