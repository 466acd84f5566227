using DestinyDsl.Language.Lowering;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>
/// Prints kernel-plan formulas as C# over the runtime's SIMD abstraction: the type parameter <c>TV</c>
/// (<c>struct, ISimd&lt;TV&gt;</c>), with operators where C# has them and <c>TV.Exp</c>, <c>TV.Select</c>… where it
/// does not. Run-time parameters are hoisted into locals named after them (<c>var learningRate =
/// TV.Create(c.LearningRate);</c>) so the formula lines read like docs/semantics.md. Precedence and parentheses
/// are <see cref="FormulaWalker"/>'s, shared with the GPU printer.
/// </summary>
internal static class CSharpFormulaPrinter
{
    private static readonly FormulaSpelling Spelling = new SimdSpelling();

    /// <summary>
    /// The body of a generic method: <c>=&gt; expr;</c> when the formula is one expression without parameters,
    /// otherwise a block. <paramref name="parameterSource"/> is the C# name of the struct holding run-time
    /// parameters (<c>p</c> for <c>LossParameters</c>, <c>c</c> for <c>UpdateContext</c>).
    /// </summary>
    public static void WriteBody(CodeWriter w, string signature, Formula formula, string parameterSource)
    {
        var parameters = new List<PlanParameter>();
        foreach (var step in formula.Steps) FormulaWalker.CollectParameters(step.Value, parameters);
        if (formula.Result is not null) FormulaWalker.CollectParameters(formula.Result, parameters);

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
    public static string Print(PlanExpr e) => FormulaWalker.Print(e, Spelling);

    /// <summary>The local a hoisted parameter lives in: <c>LearningRate</c> → <c>learningRate</c>.</summary>
    public static string LocalName(PlanParameter parameter)
    {
        var name = parameter.ToString();
        return char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    /// <summary><c>TV.Zero</c>, <c>TV.Create(2f)</c>, <c>TV.Exp(x)</c>, <c>TV.Select(TV.GreaterThan(l, r), x, y)</c>, hoisted parameters.</summary>
    private sealed class SimdSpelling : FormulaSpelling
    {
        public override (string Text, int Precedence) Constant(double value) => (value switch
        {
            0 => "TV.Zero",
            1 => "TV.One",
            _ => "TV.Create(" + CSharpLiterals.Float(value) + ")",
        }, FormulaWalker.PrimaryPrecedence);

        public override string Parameter(PlanParameter parameter) => LocalName(parameter);

        public override string Call(string function, params string[] arguments) => $"TV.{function}({string.Join(", ", arguments)})";

        // The operands are arguments of TV.GreaterThan(…): any expression is fine there.
        public override int ComparisonOperandPrecedence => 0;

        public override string Select(ComparisonOperator comparison, string left, string right, string whenTrue, string whenFalse)
            => $"TV.Select(TV.{Comparison(comparison)}({left}, {right}), {whenTrue}, {whenFalse})";

        private static string Comparison(ComparisonOperator c) => c switch
        {
            ComparisonOperator.Greater => "GreaterThan",
            ComparisonOperator.Less => "LessThan",
            ComparisonOperator.Equal => "EqualTo",
            _ => throw new InvalidOperationException($"Unknown comparison {c}."),
        };
    }
}
