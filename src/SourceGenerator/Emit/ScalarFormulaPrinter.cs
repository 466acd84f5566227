using DestinyDsl.Language.Lowering;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>
/// Prints kernel-plan formulas as plain scalar C# over <c>float</c>, for GPU kernels (ILGPU compiles it to device
/// code): constants as float literals, <c>exp log sqrt abs min max</c> as <c>System.MathF</c> calls, select-on-compare
/// as <c>(l &gt; r ? x : y)</c>, run-time parameters read straight from their struct (<c>p.OneTarget</c>,
/// <c>c.LearningRate</c>), assignments as statements.
/// </summary>
/// <remarks>Precedence, left-associativity and parentheses are <see cref="FormulaWalker"/>'s, shared with
/// <see cref="CSharpFormulaPrinter"/>: the printed code evaluates in exactly the plan's order on both devices.</remarks>
internal static class ScalarFormulaPrinter
{
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
    public static string Print(PlanExpr e, string parameterSource) => FormulaWalker.Print(e, new ScalarSpelling(parameterSource));

    /// <summary>True when the formula reads or writes the variable <paramref name="name"/>.</summary>
    public static bool Mentions(Formula formula, string name) =>
        formula.Steps.Any(s => s.Target == name || FormulaWalker.Mentions(s.Value, name)) || (formula.Result is not null && FormulaWalker.Mentions(formula.Result, name));

    /// <summary><c>2f</c>, <c>p.OneTarget</c>, <c>global::System.MathF.Exp(x)</c>, <c>(l &gt; r ? x : y)</c>.</summary>
    private sealed class ScalarSpelling(string parameterSource) : FormulaSpelling
    {
        private const string MathF = "global::System.MathF";

        // A negative literal is a unary minus applied to a literal: it binds like one (`x * -2f` is fine, `-(-2f)` needs the parentheses).
        public override (string Text, int Precedence) Constant(double value)
        {
            var text = CSharpLiterals.Float(value);
            return (text, text.StartsWith("-", StringComparison.Ordinal) ? FormulaWalker.UnaryPrecedence : FormulaWalker.PrimaryPrecedence);
        }

        public override string Parameter(PlanParameter parameter) => parameterSource + "." + parameter;

        public override string Call(string function, params string[] arguments) => $"{MathF}.{function}({string.Join(", ", arguments)})";

        // `l > r` inside `?:`: additive operands need no parentheses, anything looser would.
        public override int ComparisonOperandPrecedence => FormulaWalker.AdditivePrecedence;

        public override string Select(ComparisonOperator comparison, string left, string right, string whenTrue, string whenFalse)
            => $"({left} {Comparison(comparison)} {right} ? {whenTrue} : {whenFalse})";

        private static string Comparison(ComparisonOperator c) => c switch
        {
            ComparisonOperator.Greater => ">",
            ComparisonOperator.Less => "<",
            ComparisonOperator.Equal => "==",
            _ => throw new InvalidOperationException($"Unknown comparison {c}."),
        };
    }
}
