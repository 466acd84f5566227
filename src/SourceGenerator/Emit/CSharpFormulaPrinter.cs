using DestinyDsl.Language.Lowering;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>
/// Prints kernel-plan formulas as C# over the runtime's SIMD abstraction: the type parameter <c>TV</c>
/// (<c>struct, ISimd&lt;TV&gt;</c>), with operators where C# has them and <c>TV.Exp</c>, <c>TV.Select</c>… where it
/// does not. Run-time parameters are hoisted into locals named after them (<c>var learningRate =
/// TV.Create(c.LearningRate);</c>) so the formula lines read like docs/semantics.md.
/// </summary>
internal static class CSharpFormulaPrinter
{
    private const int AdditivePrecedence = 1;
    private const int MultiplicativePrecedence = 2;
    private const int UnaryPrecedence = 3;
    private const int PrimaryPrecedence = 4;

    /// <summary>
    /// The body of a generic method: <c>=&gt; expr;</c> when the formula is one expression without parameters,
    /// otherwise a block. <paramref name="parameterSource"/> is the C# name of the struct holding run-time
    /// parameters (<c>p</c> for <c>LossParameters</c>, <c>c</c> for <c>UpdateContext</c>).
    /// </summary>
    public static void WriteBody(CodeWriter w, string signature, Formula formula, string parameterSource)
    {
        var parameters = new List<PlanParameter>();
        foreach (var step in formula.Steps) CollectParameters(step.Value, parameters);
        if (formula.Result is not null) CollectParameters(formula.Result, parameters);

        if (formula.Steps.Count == 0 && parameters.Count == 0 && formula.Result is not null)
        {
            w.Line(signature + " => " + Print(formula.Result) + ";");
            return;
        }

        w.Line(signature);
        w.Open();
        foreach (var parameter in parameters)
        {
            w.Line($"var {LocalName(parameter)} = TV.Create({parameterSource}.{parameter});");
        }
        foreach (var step in formula.Steps)
        {
            w.Line((step.DeclaresLocal ? "var " : "") + step.Target + " = " + Print(step.Value) + ";");
        }
        if (formula.Result is not null) w.Line("return " + Print(formula.Result) + ";");
        w.Close();
    }

    /// <summary>The C# expression of <paramref name="e"/>.</summary>
    public static string Print(PlanExpr e) => Print(e, 0);

    /// <summary>The local a hoisted parameter lives in: <c>LearningRate</c> → <c>learningRate</c>.</summary>
    public static string LocalName(PlanParameter parameter)
    {
        var name = parameter.ToString();
        return char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    private static string Print(PlanExpr e, int minimumPrecedence)
    {
        var (text, precedence) = e switch
        {
            ConstantExpr c => (Constant(c.Value), PrimaryPrecedence),
            VariableExpr v => (v.Name, PrimaryPrecedence),
            ParameterExpr p => (LocalName(p.Parameter), PrimaryPrecedence),
            UnaryExpr u => Unary(u),
            BinaryExpr b => Binary(b),
            SelectExpr s => ($"TV.Select(TV.{Comparison(s.Comparison)}({Print(s.Left)}, {Print(s.Right)}), {Print(s.WhenTrue)}, {Print(s.WhenFalse)})", PrimaryPrecedence),
            _ => throw new InvalidOperationException($"Unknown plan expression {e.GetType().Name}."),
        };
        return precedence < minimumPrecedence ? "(" + text + ")" : text;
    }

    private static (string, int) Unary(UnaryExpr u) => u.Operator switch
    {
        // A nested negation gets parentheses (`-(-x)`), never `--x`.
        UnaryOperator.Negate => ("-" + Print(u.Operand, u.Operand is UnaryExpr { Operator: UnaryOperator.Negate } ? PrimaryPrecedence + 1 : UnaryPrecedence), UnaryPrecedence),
        UnaryOperator.Exp => ("TV.Exp(" + Print(u.Operand) + ")", PrimaryPrecedence),
        UnaryOperator.Log => ("TV.Log(" + Print(u.Operand) + ")", PrimaryPrecedence),
        UnaryOperator.Sqrt => ("TV.Sqrt(" + Print(u.Operand) + ")", PrimaryPrecedence),
        UnaryOperator.Abs => ("TV.Abs(" + Print(u.Operand) + ")", PrimaryPrecedence),
        _ => throw new InvalidOperationException($"Unknown unary operator {u.Operator}."),
    };

    private static (string, int) Binary(BinaryExpr b)
    {
        switch (b.Operator)
        {
            case BinaryOperator.Min:
                return ($"TV.Min({Print(b.Left)}, {Print(b.Right)})", PrimaryPrecedence);
            case BinaryOperator.Max:
                return ($"TV.Max({Print(b.Left)}, {Print(b.Right)})", PrimaryPrecedence);
        }

        var (symbol, precedence) = b.Operator switch
        {
            BinaryOperator.Add => ("+", AdditivePrecedence),
            BinaryOperator.Subtract => ("-", AdditivePrecedence),
            BinaryOperator.Multiply => ("*", MultiplicativePrecedence),
            BinaryOperator.Divide => ("/", MultiplicativePrecedence),
            _ => throw new InvalidOperationException($"Unknown binary operator {b.Operator}."),
        };
        // Left-associative: the right operand needs parentheses at equal precedence, so the printed
        // expression evaluates in exactly the plan's order (float addition is not associative).
        return ($"{Print(b.Left, precedence)} {symbol} {Print(b.Right, precedence + 1)}", precedence);
    }

    private static string Constant(double value) => value switch
    {
        0 => "TV.Zero",
        1 => "TV.One",
        _ => "TV.Create(" + CSharpLiterals.Float(value) + ")",
    };

    private static string Comparison(ComparisonOperator c) => c switch
    {
        ComparisonOperator.Greater => "GreaterThan",
        ComparisonOperator.Less => "LessThan",
        ComparisonOperator.Equal => "EqualTo",
        _ => throw new InvalidOperationException($"Unknown comparison {c}."),
    };

    private static void CollectParameters(PlanExpr e, List<PlanParameter> found)
    {
        switch (e)
        {
            case ParameterExpr p:
                if (!found.Contains(p.Parameter)) found.Add(p.Parameter);
                break;
            case UnaryExpr u:
                CollectParameters(u.Operand, found);
                break;
            case BinaryExpr b:
                CollectParameters(b.Left, found);
                CollectParameters(b.Right, found);
                break;
            case SelectExpr s:
                CollectParameters(s.Left, found);
                CollectParameters(s.Right, found);
                CollectParameters(s.WhenTrue, found);
                CollectParameters(s.WhenFalse, found);
                break;
        }
    }
}
