using DestinyDsl.Language.Lowering;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>
/// How one target language spells the pieces of a kernel-plan formula: constants, run-time parameters, functions
/// (<c>Exp Log Sqrt Abs Min Max</c>) and select-on-compare. <see cref="FormulaWalker"/> owns everything else —
/// precedence, left-associativity, parentheses — so the SIMD and the GPU printers cannot drift apart in the order
/// they evaluate (float arithmetic is not associative).
/// </summary>
internal abstract class FormulaSpelling
{
    /// <summary>A constant and the precedence it binds with (a negative literal binds like a unary minus).</summary>
    public abstract (string Text, int Precedence) Constant(double value);

    /// <summary>A run-time parameter (a hoisted local, or a field of the parameter struct).</summary>
    public abstract string Parameter(PlanParameter parameter);

    /// <summary>A call of <paramref name="function"/> (<c>Exp</c>, <c>Log</c>, <c>Sqrt</c>, <c>Abs</c>, <c>Min</c>, <c>Max</c>).</summary>
    public abstract string Call(string function, params string[] arguments);

    /// <summary>The minimum precedence the operands of a comparison are printed at.</summary>
    public abstract int ComparisonOperandPrecedence { get; }

    /// <summary><c>left cmp right ? whenTrue : whenFalse</c>, each operand already printed; always a primary expression.</summary>
    public abstract string Select(ComparisonOperator comparison, string left, string right, string whenTrue, string whenFalse);
}

/// <summary>Prints a plan expression in a <see cref="FormulaSpelling"/>, with exactly the parentheses C# needs.</summary>
internal static class FormulaWalker
{
    public const int AdditivePrecedence = 1;
    public const int MultiplicativePrecedence = 2;
    public const int UnaryPrecedence = 3;
    public const int PrimaryPrecedence = 4;

    /// <summary>The C# expression of <paramref name="e"/>, parenthesised when it binds looser than <paramref name="minimumPrecedence"/>.</summary>
    public static string Print(PlanExpr e, FormulaSpelling spelling, int minimumPrecedence = 0)
    {
        var (text, precedence) = e switch
        {
            ConstantExpr c => spelling.Constant(c.Value),
            VariableExpr v => (v.Name, PrimaryPrecedence),
            ParameterExpr p => (spelling.Parameter(p.Parameter), PrimaryPrecedence),
            UnaryExpr u => Unary(u, spelling),
            BinaryExpr b => Binary(b, spelling),
            SelectExpr s => (spelling.Select(s.Comparison,
                Print(s.Left, spelling, spelling.ComparisonOperandPrecedence), Print(s.Right, spelling, spelling.ComparisonOperandPrecedence),
                Print(s.WhenTrue, spelling), Print(s.WhenFalse, spelling)), PrimaryPrecedence),
            _ => throw new InvalidOperationException($"Unknown plan expression {e.GetType().Name}."),
        };
        return precedence < minimumPrecedence ? "(" + text + ")" : text;
    }

    private static (string, int) Unary(UnaryExpr u, FormulaSpelling spelling)
    {
        if (u.Operator == UnaryOperator.Negate)
        {
            // A negated negation or negative literal gets parentheses (`-(-x)`, `-(-2f)`), never `--x`.
            var operand = Print(u.Operand, spelling, UnaryPrecedence);
            return ("-" + (operand.StartsWith("-", StringComparison.Ordinal) ? "(" + operand + ")" : operand), UnaryPrecedence);
        }
        var function = u.Operator switch
        {
            UnaryOperator.Exp => "Exp",
            UnaryOperator.Log => "Log",
            UnaryOperator.Sqrt => "Sqrt",
            UnaryOperator.Abs => "Abs",
            _ => throw new InvalidOperationException($"Unknown unary operator {u.Operator}."),
        };
        return (spelling.Call(function, Print(u.Operand, spelling)), PrimaryPrecedence);
    }

    private static (string, int) Binary(BinaryExpr b, FormulaSpelling spelling)
    {
        switch (b.Operator)
        {
            case BinaryOperator.Min:
                return (spelling.Call("Min", Print(b.Left, spelling), Print(b.Right, spelling)), PrimaryPrecedence);
            case BinaryOperator.Max:
                return (spelling.Call("Max", Print(b.Left, spelling), Print(b.Right, spelling)), PrimaryPrecedence);
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
        return ($"{Print(b.Left, spelling, precedence)} {symbol} {Print(b.Right, spelling, precedence + 1)}", precedence);
    }

    /// <summary>True when <paramref name="e"/> reads the variable <paramref name="name"/>.</summary>
    public static bool Mentions(PlanExpr e, string name) => e switch
    {
        VariableExpr v => v.Name == name,
        UnaryExpr u => Mentions(u.Operand, name),
        BinaryExpr b => Mentions(b.Left, name) || Mentions(b.Right, name),
        SelectExpr s => Mentions(s.Left, name) || Mentions(s.Right, name) || Mentions(s.WhenTrue, name) || Mentions(s.WhenFalse, name),
        _ => false,
    };

    /// <summary>Adds the run-time parameters <paramref name="e"/> reads to <paramref name="found"/>, first use first.</summary>
    public static void CollectParameters(PlanExpr e, List<PlanParameter> found)
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
