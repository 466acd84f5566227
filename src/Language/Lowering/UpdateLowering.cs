using DestinyDsl.Language.Model;
using static DestinyDsl.Language.Lowering.Expr;

namespace DestinyDsl.Language.Lowering;

/// <summary>Optimizer update rules of docs/semantics.md as straight-line assignments to <c>w</c>, <c>s1</c>, <c>s2</c>.</summary>
internal static class UpdateLowering
{
    private static readonly PlanExpr W = Var(PlanVariables.Weight);
    private static readonly PlanExpr G = Var(PlanVariables.Gradient);
    private static readonly PlanExpr S1 = Var(PlanVariables.State1);
    private static readonly PlanExpr S2 = Var(PlanVariables.State2);
    private static readonly PlanExpr LearningRate = Param(PlanParameter.LearningRate);
    private static readonly PlanExpr Momentum = Param(PlanParameter.Momentum);
    private static readonly PlanExpr Decay = Param(PlanParameter.Decay);
    private static readonly PlanExpr Epsilon = Param(PlanParameter.Epsilon);

    /// <summary>
    /// True when the rule keeps a velocity: <c>momentum</c> and <c>nesterov</c> always, <c>sgd</c> when the file gives
    /// it a <c>momentum</c> argument (<see cref="OptimizerModel.HasMomentum"/>); plain sgd is <c>w −= η g</c>.
    /// </summary>
    public static bool HasMomentum(OptimizerModel optimizer) =>
        optimizer.Kind is OptimizerKind.Momentum or OptimizerKind.Nesterov || (optimizer.Kind == OptimizerKind.Sgd && optimizer.HasMomentum);

    public static UpdatePlan Lower(OptimizerModel optimizer)
    {
        var steps = new List<PlanAssignment>
        {
            // The decayed mean gradient every rule starts from: g/B + λ₂w + λ₁ sign(w).
            Set(PlanVariables.Gradient,
                G * Param(PlanParameter.GradientScale) + Param(PlanParameter.WeightDecay) * W + Param(PlanParameter.L1Decay) * Sign(W)),
        };

        var (name, stateCount, momentum) = AddRule(optimizer, steps);
        return new UpdatePlan(optimizer.Kind, name, stateCount, momentum, new Formula(steps.ToEquatableArray(), Result: null));
    }

    private static (string Name, int StateCount, bool HasMomentum) AddRule(OptimizerModel optimizer, List<PlanAssignment> steps)
    {
        switch (optimizer.Kind)
        {
            case OptimizerKind.Sgd when !HasMomentum(optimizer):
                steps.Add(Set(PlanVariables.Weight, W - LearningRate * G));
                return ("Sgd", 0, false);
            case OptimizerKind.Sgd:
            case OptimizerKind.Momentum:
                // v = μv − ηg; w += v
                steps.Add(Set(PlanVariables.State1, Momentum * S1 - LearningRate * G));
                steps.Add(Set(PlanVariables.Weight, W + S1));
                return (optimizer.Kind == OptimizerKind.Sgd ? "SgdMomentum" : "Momentum", 1, true);
            case OptimizerKind.Nesterov:
                // v' = μv − ηg; w += −μv + (1 + μ)v'; v = v'
                steps.Add(Local("velocity", Momentum * S1 - LearningRate * G));
                steps.Add(Set(PlanVariables.Weight, W - Momentum * S1 + (1 + Momentum) * Var("velocity")));
                steps.Add(Set(PlanVariables.State1, Var("velocity")));
                return ("Nesterov", 1, true);
            case OptimizerKind.AdaGrad:
                // s += g²; w −= ηg / (√s + ε)
                steps.Add(Set(PlanVariables.State1, S1 + G * G));
                steps.Add(Set(PlanVariables.Weight, W - LearningRate * G / (Sqrt(S1) + Epsilon)));
                return ("AdaGrad", 1, false);
            case OptimizerKind.RmsProp:
                // s = ρs + (1 − ρ)g²; w −= ηg / (√s + ε)
                steps.Add(Set(PlanVariables.State1, Decay * S1 + (1 - Decay) * G * G));
                steps.Add(Set(PlanVariables.Weight, W - LearningRate * G / (Sqrt(S1) + Epsilon)));
                return ("RmsProp", 1, false);
            case OptimizerKind.AdaDelta:
                // s = ρs + (1 − ρ)g²; Δ = −√(u + ε)/√(s + ε)·g; u = ρu + (1 − ρ)Δ²; w += ηΔ
                steps.Add(Set(PlanVariables.State1, Decay * S1 + (1 - Decay) * G * G));
                steps.Add(Local("step", -(Sqrt(S2 + Epsilon) / Sqrt(S1 + Epsilon)) * G));
                steps.Add(Set(PlanVariables.State2, Decay * S2 + (1 - Decay) * Var("step") * Var("step")));
                steps.Add(Set(PlanVariables.Weight, W + LearningRate * Var("step")));
                return ("AdaDelta", 2, false);
            case OptimizerKind.Adam:
                // m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; w −= η(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
                var beta1 = Param(PlanParameter.Beta1);
                var beta2 = Param(PlanParameter.Beta2);
                steps.Add(Set(PlanVariables.State1, beta1 * S1 + (1 - beta1) * G));
                steps.Add(Set(PlanVariables.State2, beta2 * S2 + (1 - beta2) * G * G));
                steps.Add(Set(PlanVariables.Weight,
                    W - LearningRate * (S1 / Param(PlanParameter.BiasCorrection1)) / (Sqrt(S2 / Param(PlanParameter.BiasCorrection2)) + Epsilon)));
                return ("Adam", 2, false);
            default:
                throw new InvalidOperationException($"No update rule for optimizer {optimizer.Kind}.");
        }
    }

    private static PlanAssignment Set(string register, PlanExpr value) => new(register, value, DeclaresLocal: false);

    private static PlanAssignment Local(string name, PlanExpr value) => new(name, value, DeclaresLocal: true);
}
