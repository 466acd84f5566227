using DestinyDsl.Language.Model;
using static DestinyDsl.Language.Lowering.Expr;

namespace DestinyDsl.Language.Lowering;

/// <summary>Activation formulas of docs/semantics.md, with the file's constants written in.</summary>
internal static class ActivationLowering
{
    private static readonly PlanExpr Z = Var(PlanVariables.PreActivation);
    private static readonly PlanExpr A = Var(PlanVariables.Activation);

    public static ActivationPlan Lower(ActivationModel activation)
    {
        if (activation.Kind == ActivationKind.Softmax)
        {
            return new ActivationPlan(ActivationKind.Softmax, IsRowWise: true, Activate: null, Derivative: null);
        }

        var (f, derivative) = Formulas(activation);
        return new ActivationPlan(activation.Kind, IsRowWise: false, Formula.Of(f), Formula.Of(derivative));
    }

    /// <summary><c>a = f(z)</c> and <c>f'</c> expressed through <c>a</c>.</summary>
    private static (PlanExpr Activate, PlanExpr Derivative) Formulas(ActivationModel m)
    {
        switch (m.Kind)
        {
            case ActivationKind.Sigmoid:
                return (1 / (1 + Exp(-Z)), A * (1 - A));
            case ActivationKind.Tanh:
                return (1 - 2 / (Exp(2 * Z) + 1), 1 - A * A);
            case ActivationKind.Relu:
                return (Max(Z, 0), IfGreater(A, 0, 1, 0));
            case ActivationKind.LeakyRelu:
                return (IfGreater(Z, 0, Z, Z * m.Slope), IfGreater(A, 0, 1, m.Slope));
            case ActivationKind.Elu:
                return (IfGreater(Z, 0, Z, m.Alpha * (Exp(Z) - 1)), IfGreater(A, 0, 1, A + m.Alpha));
            case ActivationKind.Selu:
                // λ·(z > 0 ? z : α(eᶻ − 1)) with λα folded into one constant.
                var lambdaAlpha = m.Lambda * m.Alpha;
                return (IfGreater(Z, 0, m.Lambda * Z, lambdaAlpha * (Exp(Z) - 1)), IfGreater(A, 0, m.Lambda, A + lambdaAlpha));
            case ActivationKind.Softplus:
                // max(z, 0) + log(1 + e^−|z|): the log's argument is ≥ 1, no clamp needed.
                return (Max(Z, 0) + Log(1 + Exp(-Abs(Z))), 1 - Exp(-A));
            case ActivationKind.Softsign:
                return (Z / (1 + Abs(Z)), (1 - Abs(A)) * (1 - Abs(A)));
            case ActivationKind.Linear:
                return (Z, 1);
            default:
                throw new InvalidOperationException($"No element-wise formula for activation {m.Kind}.");
        }
    }
}
