namespace DestinyDsl.Language.Lowering;

/// <summary>
/// A scalar formula of the kernel plan, applied element-wise (one SIMD lane or one CUDA thread per element).
/// Backends print it in their own syntax: the C# emitter as <c>ISimd&lt;TV&gt;</c> calls, a CUDA emitter as
/// <c>float</c> arithmetic.
/// </summary>
/// <remarks>Immutable records with structural equality; no backend-specific spelling lives here. The operators
/// only build nodes (no simplification happens behind the caller's back).</remarks>
public abstract record PlanExpr
{
    /// <summary>A constant.</summary>
    public static implicit operator PlanExpr(double value) => new ConstantExpr(value);

    /// <summary>Sum.</summary>
    public static PlanExpr operator +(PlanExpr left, PlanExpr right) => new BinaryExpr(BinaryOperator.Add, left, right);

    /// <summary>Difference.</summary>
    public static PlanExpr operator -(PlanExpr left, PlanExpr right) => new BinaryExpr(BinaryOperator.Subtract, left, right);

    /// <summary>Product.</summary>
    public static PlanExpr operator *(PlanExpr left, PlanExpr right) => new BinaryExpr(BinaryOperator.Multiply, left, right);

    /// <summary>Quotient.</summary>
    public static PlanExpr operator /(PlanExpr left, PlanExpr right) => new BinaryExpr(BinaryOperator.Divide, left, right);

    /// <summary>Negation.</summary>
    public static PlanExpr operator -(PlanExpr operand) => new UnaryExpr(UnaryOperator.Negate, operand);
}

/// <summary>A numeric constant, kept in double precision (backends round it to their float type).</summary>
public sealed record ConstantExpr(double Value) : PlanExpr;

/// <summary>
/// A named value: a formula input (<see cref="PlanVariables"/>) or a local introduced by a
/// <see cref="PlanAssignment"/> earlier in the same formula.
/// </summary>
public sealed record VariableExpr(string Name) : PlanExpr;

/// <summary>A value known only at run time (tunable loss parameters, optimizer hyperparameters, step values).</summary>
public sealed record ParameterExpr(PlanParameter Parameter) : PlanExpr;

/// <summary>A one-operand operation.</summary>
public sealed record UnaryExpr(UnaryOperator Operator, PlanExpr Operand) : PlanExpr;

/// <summary>A two-operand operation.</summary>
public sealed record BinaryExpr(BinaryOperator Operator, PlanExpr Left, PlanExpr Right) : PlanExpr;

/// <summary><c>Left Comparison Right ? WhenTrue : WhenFalse</c>, element-wise (a masked blend on SIMD).</summary>
public sealed record SelectExpr(ComparisonOperator Comparison, PlanExpr Left, PlanExpr Right, PlanExpr WhenTrue, PlanExpr WhenFalse) : PlanExpr;

/// <summary>Operators of <see cref="UnaryExpr"/>.</summary>
public enum UnaryOperator { Negate, Exp, Log, Sqrt, Abs }

/// <summary>Operators of <see cref="BinaryExpr"/>.</summary>
public enum BinaryOperator { Add, Subtract, Multiply, Divide, Min, Max }

/// <summary>Comparisons of <see cref="SelectExpr"/>.</summary>
public enum ComparisonOperator { Greater, Less, Equal }

/// <summary>
/// Run-time values a formula may read. Loss parameters come with the loss (<c>OneTarget</c>…), the rest with the
/// optimizer step (learning rate, hyperparameters, the 1/batch gradient scale and Adam's bias corrections).
/// </summary>
public enum PlanParameter
{
    OneTarget,
    ZeroTarget,
    OneScale,
    ZeroScale,
    LearningRate,
    Momentum,
    Decay,
    Beta1,
    Beta2,
    Epsilon,
    WeightDecay,
    L1Decay,
    GradientScale,
    BiasCorrection1,
    BiasCorrection2,
}

/// <summary>Names of the inputs formulas read and of the registers update rules write.</summary>
public static class PlanVariables
{
    /// <summary>Pre-activation (input of an activation).</summary>
    public const string PreActivation = "z";

    /// <summary>Activation (input of a derivative, loss and delta).</summary>
    public const string Activation = "a";

    /// <summary>Target.</summary>
    public const string Target = "t";

    /// <summary>Weight being updated (read and written).</summary>
    public const string Weight = "w";

    /// <summary>Batch-summed gradient (read; the update rule may rebind it to the decayed mean).</summary>
    public const string Gradient = "g";

    /// <summary>First optimizer state register (read and written).</summary>
    public const string State1 = "s1";

    /// <summary>Second optimizer state register (read and written).</summary>
    public const string State2 = "s2";
}
