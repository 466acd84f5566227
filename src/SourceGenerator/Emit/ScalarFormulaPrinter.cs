using DestinyDsl.Language.Lowering;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>
/// Prints kernel-plan formulas as plain scalar C# over <c>float</c>, for GPU kernels (ILGPU compiles it to device
/// code): constants as float literals, <c>exp log sqrt abs min max</c> as <c>System.MathF</c> calls, select-on-compare
/// as <c>(l &gt; r ? x : y)</c>, run-time parameters read straight from their struct (<c>p.OneTarget</c>,
/// <c>c.LearningRate</c>), assignments as statements.
/// </summary>
/// <remarks>Operator precedence and left-associativity follow <see cref="CSharpFormulaPrinter"/>: the printed code
/// evaluates in exactly the plan's order (float arithmetic is not associative).</remarks>
internal static class ScalarFormulaPrinter
{
    private const string MathF = "global::System.MathF";
    private const int AdditivePrecedence = 1;
    private const int MultiplicativePrecedence = 2;
    private const int UnaryPrecedence = 3;
    private const int PrimaryPrecedence = 4;

    /// <summary>
    /// A method of one formula: <c>signature =&gt; expr;</c> when it is a single expression, else a block of its
    /// assignments (locals declared with <c>var</c>) and <c>return</c>. <paramref name="parameterSource"/> is the
    /// name of the struct holding run-time parameters (<c>p</c> for <c>LossParameters</c>, <c>c</c> for <c>UpdateContext</c>).
    /// <paramref name="beforeLine"/> runs before every written line (the caller's <c>#line</c> mapping).
    /// </summary>
    public static void WriteMethod(CodeWriter w, string signature, Formula formula, string parameterSource, Action? beforeLine = null)
    {
        if (formula.Result is null) throw new InvalidOperationException("A formula method needs a result.");
        void Line(string text)
        {
            beforeLine?.Invoke();
            w.Line(text);
        }

        if (formula.Steps.Count == 0)
        {
            Line(signature + " => " + Print(formula.Result, parameterSource) + ";");
            return;
        }
        Line(signature);
        beforeLine?.Invoke();
        w.Open();
        foreach (var line in Statements(formula, parameterSource)) Line(line);
        Line("return " + Print(formula.Result, parameterSource) + ";");
        beforeLine?.Invoke();
        w.Close();
    }

    /// <summary>The formula's assignments as statements (<c>var h = …;</c>, <c>w = …;</c>), in order; the result is not included.</summary>
    public static IEnumerable<string> Statements(Formula formula, string parameterSource) =>
        formula.Steps.Select(step => (step.DeclaresLocal ? "var " : "") + step.Target + " = " + Print(step.Value, parameterSource) + ";");

    /// <summary>The C# expression of <paramref name="e"/>.</summary>
    public static string Print(PlanExpr e, string parameterSource) => Print(e, parameterSource, 0);

    /// <summary>True when the formula reads or writes the variable <paramref name="name"/>.</summary>
    public static bool Mentions(Formula formula, string name) =>
        formula.Steps.Any(s => s.Target == name || Mentions(s.Value, name)) || (formula.Result is not null && Mentions(formula.Result, name));

    private static bool Mentions(PlanExpr e, string name) => e switch
    {
        VariableExpr v => v.Name == name,
        UnaryExpr u => Mentions(u.Operand, name),
        BinaryExpr b => Mentions(b.Left, name) || Mentions(b.Right, name),
        SelectExpr s => Mentions(s.Left, name) || Mentions(s.Right, name) || Mentions(s.WhenTrue, name) || Mentions(s.WhenFalse, name),
        _ => false,
    };

    private static string Print(PlanExpr e, string parameterSource, int minimumPrecedence)
    {
        var (text, precedence) = e switch
        {
            ConstantExpr c => Constant(c.Value),
            VariableExpr v => (v.Name, PrimaryPrecedence),
            ParameterExpr p => (parameterSource + "." + p.Parameter, PrimaryPrecedence),
            UnaryExpr u => Unary(u, parameterSource),
            BinaryExpr b => Binary(b, parameterSource),
            SelectExpr s => ($"({Print(s.Left, parameterSource, AdditivePrecedence)} {Comparison(s.Comparison)} {Print(s.Right, parameterSource, AdditivePrecedence)} ? {Print(s.WhenTrue, parameterSource)} : {Print(s.WhenFalse, parameterSource)})", PrimaryPrecedence),
            _ => throw new InvalidOperationException($"Unknown plan expression {e.GetType().Name}."),
        };
        return precedence < minimumPrecedence ? "(" + text + ")" : text;
    }

    private static (string, int) Unary(UnaryExpr u, string parameterSource)
    {
        switch (u.Operator)
        {
            case UnaryOperator.Negate:
                // A negated negation or negative literal gets parentheses (`-(-x)`, `-(-2f)`), never `--x`.
                var operand = Print(u.Operand, parameterSource, UnaryPrecedence);
                return ("-" + (operand.StartsWith("-", StringComparison.Ordinal) ? "(" + operand + ")" : operand), UnaryPrecedence);
            case UnaryOperator.Exp:
                return (MathF + ".Exp(" + Print(u.Operand, parameterSource) + ")", PrimaryPrecedence);
            case UnaryOperator.Log:
                return (MathF + ".Log(" + Print(u.Operand, parameterSource) + ")", PrimaryPrecedence);
            case UnaryOperator.Sqrt:
                return (MathF + ".Sqrt(" + Print(u.Operand, parameterSource) + ")", PrimaryPrecedence);
            case UnaryOperator.Abs:
                return (MathF + ".Abs(" + Print(u.Operand, parameterSource) + ")", PrimaryPrecedence);
            default:
                throw new InvalidOperationException($"Unknown unary operator {u.Operator}.");
        }
    }

    private static (string, int) Binary(BinaryExpr b, string parameterSource)
    {
        switch (b.Operator)
        {
            case BinaryOperator.Min:
                return ($"{MathF}.Min({Print(b.Left, parameterSource)}, {Print(b.Right, parameterSource)})", PrimaryPrecedence);
            case BinaryOperator.Max:
                return ($"{MathF}.Max({Print(b.Left, parameterSource)}, {Print(b.Right, parameterSource)})", PrimaryPrecedence);
        }

        var (symbol, precedence) = b.Operator switch
        {
            BinaryOperator.Add => ("+", AdditivePrecedence),
            BinaryOperator.Subtract => ("-", AdditivePrecedence),
            BinaryOperator.Multiply => ("*", MultiplicativePrecedence),
            BinaryOperator.Divide => ("/", MultiplicativePrecedence),
            _ => throw new InvalidOperationException($"Unknown binary operator {b.Operator}."),
        };
        // Left-associative: the right operand needs parentheses at equal precedence.
        return ($"{Print(b.Left, parameterSource, precedence)} {symbol} {Print(b.Right, parameterSource, precedence + 1)}", precedence);
    }

    // A negative literal is a unary minus applied to a literal: it binds like one (`x * -2f` is fine, `-(-2f)` needs the parentheses).
    private static (string, int) Constant(double value)
    {
        var text = CSharpLiterals.Float(value);
        return (text, text.StartsWith("-", StringComparison.Ordinal) ? UnaryPrecedence : PrimaryPrecedence);
    }

    private static string Comparison(ComparisonOperator c) => c switch
    {
        ComparisonOperator.Greater => ">",
        ComparisonOperator.Less => "<",
        ComparisonOperator.Equal => "==",
        _ => throw new InvalidOperationException($"Unknown comparison {c}."),
    };
}
