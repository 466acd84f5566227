namespace DestinyDsl.Language.Lowering;

/// <summary>Short builders for <see cref="PlanExpr"/> trees, so the formulas below read like docs/semantics.md.</summary>
internal static class Expr
{
    /// <summary>Smallest argument of a logarithm or denominator of a loss (a saturated unit gives a large finite value).</summary>
    public const double LogFloor = 1e-7;

    public static PlanExpr Var(string name) => new VariableExpr(name);

    public static PlanExpr Param(PlanParameter parameter) => new ParameterExpr(parameter);

    public static PlanExpr Exp(PlanExpr x) => new UnaryExpr(UnaryOperator.Exp, x);

    public static PlanExpr Log(PlanExpr x) => new UnaryExpr(UnaryOperator.Log, x);

    public static PlanExpr Sqrt(PlanExpr x) => new UnaryExpr(UnaryOperator.Sqrt, x);

    public static PlanExpr Abs(PlanExpr x) => new UnaryExpr(UnaryOperator.Abs, x);

    public static PlanExpr Max(PlanExpr x, PlanExpr y) => new BinaryExpr(BinaryOperator.Max, x, y);

    public static PlanExpr Min(PlanExpr x, PlanExpr y) => new BinaryExpr(BinaryOperator.Min, x, y);

    /// <summary><c>x &gt; y ? whenTrue : whenFalse</c>.</summary>
    public static PlanExpr IfGreater(PlanExpr x, PlanExpr y, PlanExpr whenTrue, PlanExpr whenFalse) =>
        new SelectExpr(ComparisonOperator.Greater, x, y, whenTrue, whenFalse);

    /// <summary><c>x &lt; y ? whenTrue : whenFalse</c>.</summary>
    public static PlanExpr IfLess(PlanExpr x, PlanExpr y, PlanExpr whenTrue, PlanExpr whenFalse) =>
        new SelectExpr(ComparisonOperator.Less, x, y, whenTrue, whenFalse);

    /// <summary><c>log(max(x, 1e−7))</c>: the clamped logarithm every loss uses.</summary>
    public static PlanExpr SafeLog(PlanExpr x) => Log(Max(x, LogFloor));

    /// <summary><c>x / max(y, 1e−7)</c> for denominators that a saturated unit drives to 0.</summary>
    public static PlanExpr SafeDivide(PlanExpr x, PlanExpr y) => x / Max(y, LogFloor);

    /// <summary><c>sign(x)</c> as -1, 0 or 1.</summary>
    public static PlanExpr Sign(PlanExpr x) => IfGreater(x, 0, 1, IfLess(x, 0, -1, 0));

    /// <summary>True when <paramref name="e"/> is the constant <paramref name="value"/>.</summary>
    public static bool IsConstant(PlanExpr? e, double value) => e is ConstantExpr c && c.Value == value;

    /// <summary>A product that drops a factor of exactly 1 (folding <c>f' = 1</c> away for linear layers).</summary>
    public static PlanExpr Times(PlanExpr x, PlanExpr y) => IsConstant(y, 1) ? x : IsConstant(x, 1) ? y : x * y;
}
