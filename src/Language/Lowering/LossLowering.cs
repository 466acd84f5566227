using DestinyDsl.Language.Model;
using static DestinyDsl.Language.Lowering.Expr;

namespace DestinyDsl.Language.Lowering;

/// <summary>
/// Loss formulas of docs/semantics.md and the output delta: <c>∂ℓ/∂a</c> folded with <c>f'</c>, simplified for
/// known pairs (sigmoid with the cross-entropies), or scaled by <c>a</c> for softmax.
/// </summary>
internal static class LossLowering
{
    private static readonly PlanExpr A = Var(PlanVariables.Activation);
    private static readonly PlanExpr T = Var(PlanVariables.Target);
    private static readonly PlanExpr OneTarget = Param(PlanParameter.OneTarget);
    private static readonly PlanExpr ZeroTarget = Param(PlanParameter.ZeroTarget);
    private static readonly PlanExpr OneScale = Param(PlanParameter.OneScale);
    private static readonly PlanExpr ZeroScale = Param(PlanParameter.ZeroScale);

    /// <summary>ŷ = t &gt; 0 ? 1 : −1, the hinge losses' label (0 targets count as negatives).</summary>
    private static readonly PlanAssignment HingeLabel = new("y", IfGreater(T, 0, 1, -1), DeclaresLocal: true);
    private static readonly PlanExpr Y = Var("y");

    public static OutputPlan Lower(LossKind loss, ActivationPlan activation, bool sparseTargets, string target)
    {
        var softmax = activation.IsRowWise;
        var (lets, lossValue, dLossDa) = LossAndGradient(loss, softmax);
        var lossFormula = new Formula(lets, lossValue);

        DeltaForm form;
        PlanExpr delta;
        if (softmax)
        {
            var simplified = SoftmaxScaledDelta(loss);
            form = simplified is null ? DeltaForm.SoftmaxScaled : DeltaForm.SoftmaxScaledSimplified;
            delta = simplified ?? Times(A, dLossDa);
        }
        else
        {
            var simplified = activation.Kind == ActivationKind.Sigmoid ? SigmoidDelta(loss) : null;
            form = simplified is null ? DeltaForm.Folded : DeltaForm.Simplified;
            delta = simplified ?? Times(dLossDa, activation.Derivative!.Result!);
        }

        // A simplified delta never reads the hinge label; keep the lets only where they are used.
        var deltaLets = form is DeltaForm.Simplified or DeltaForm.SoftmaxScaledSimplified ? EquatableArray<PlanAssignment>.Empty : lets;
        return new OutputPlan(loss, form, lossFormula, new Formula(deltaLets, delta), sparseTargets, target);
    }

    /// <summary>ℓ(a, t) and ∂ℓ/∂a, sharing local assignments.</summary>
    private static (EquatableArray<PlanAssignment> Lets, PlanExpr Loss, PlanExpr Gradient) LossAndGradient(LossKind loss, bool softmax)
    {
        var none = EquatableArray<PlanAssignment>.Empty;
        switch (loss)
        {
            case LossKind.L1:
                return (none, Abs(A - T), Sign(A - T));
            case LossKind.L2:
                return (none, 0.5 * (A - T) * (A - T), A - T);
            case LossKind.CrossEntropy when softmax:
                return (none, -T * SafeLog(A), -SafeDivide(T, A));
            case LossKind.CrossEntropy:
                return (none,
                    -T * SafeLog(A) - (1 - T) * SafeLog(1 - A),
                    SafeDivide(1 - T, 1 - A) - SafeDivide(T, A));
            case LossKind.ScaledMarginalCrossEntropy:
            case LossKind.DataScaledMarginalCrossEntropy:
                // The data-scaled variant multiplies the t > 0 term by t (analog targets).
                var oneScale = loss == LossKind.DataScaledMarginalCrossEntropy ? OneScale * T : OneScale;
                return (none,
                    IfGreater(T, 0,
                        IfLess(A, OneTarget, -oneScale * SafeLog(A), 0),
                        IfGreater(A, ZeroTarget, -ZeroScale * SafeLog(1 - A), 0)),
                    IfGreater(T, 0,
                        IfLess(A, OneTarget, -SafeDivide(oneScale, A), 0),
                        IfGreater(A, ZeroTarget, SafeDivide(ZeroScale, 1 - A), 0)));
            case LossKind.Hinge:
                return (EquatableArray.Create(HingeLabel), Max(0, 1 - Y * A), IfLess(Y * A, 1, -Y, 0));
            case LossKind.L2Hinge:
                var margin = new PlanAssignment("h", Max(0, 1 - Y * A), DeclaresLocal: true);
                return (EquatableArray.Create(HingeLabel, margin), 0.5 * Var("h") * Var("h"), -Y * Var("h"));
            default:
                throw new InvalidOperationException($"No formula for loss {loss}.");
        }
    }

    /// <summary>sigmoid'(z)·∂ℓ/∂a = a(1 − a)·∂ℓ/∂a simplified, where it cancels (DSSTNE's deltas).</summary>
    private static PlanExpr? SigmoidDelta(LossKind loss)
    {
        switch (loss)
        {
            case LossKind.CrossEntropy:
                return A - T;
            case LossKind.ScaledMarginalCrossEntropy:
            case LossKind.DataScaledMarginalCrossEntropy:
                var oneScale = loss == LossKind.DataScaledMarginalCrossEntropy ? OneScale * T : OneScale;
                return IfGreater(T, 0,
                    IfLess(A, OneTarget, oneScale * (A - 1), 0),
                    IfGreater(A, ZeroTarget, ZeroScale * A, 0));
            default:
                return null;
        }
    }

    /// <summary>a·∂ℓ/∂a simplified for softmax, where the division by a cancels.</summary>
    private static PlanExpr? SoftmaxScaledDelta(LossKind loss)
    {
        switch (loss)
        {
            case LossKind.CrossEntropy:
                return -T;
            case LossKind.ScaledMarginalCrossEntropy:
            case LossKind.DataScaledMarginalCrossEntropy:
                var oneScale = loss == LossKind.DataScaledMarginalCrossEntropy ? OneScale * T : OneScale;
                return IfGreater(T, 0,
                    IfLess(A, OneTarget, -oneScale, 0),
                    IfGreater(A, ZeroTarget, SafeDivide(ZeroScale * A, 1 - A), 0));
            default:
                return null;
        }
    }
}
