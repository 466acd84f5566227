using DestinyDsl.Language.Lowering;
using DestinyDsl.Language.Model;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>
/// Writes <c>CreateKernels</c> and the fused-kernel ops structs of the kernel plan: one per non-input layer
/// (<c>IHiddenLayerOps</c>/<c>IOutputLayerOps</c>) and the optimizer's <c>IUpdateRule</c>. The runtime's kernel
/// classes hold the loops; these structs hold the formulas, with the file's constants written in.
/// </summary>
internal static class KernelsEmitter
{
    private const string ActivateSignature = "public static TV Activate<TV>(TV z) " + RuntimeTypes.SimdConstraint;
    private const string DerivativeSignature = "public static TV Derivative<TV>(TV a) " + RuntimeTypes.SimdConstraint;
    private const string LossSignature = "public static TV Loss<TV>(TV a, TV t, in " + RuntimeTypes.LossParameters + " p) " + RuntimeTypes.SimdConstraint;
    private const string DeltaSignature = "public static TV Delta<TV>(TV a, TV t, in " + RuntimeTypes.LossParameters + " p) " + RuntimeTypes.SimdConstraint;
    private const string UpdateSignature = "public static void Update<TV>(ref TV w, TV g, ref TV s1, ref TV s2, in " + RuntimeTypes.UpdateContext + " c) " + RuntimeTypes.SimdConstraint;

    public static void Write(CodeWriter w, NetworkEmitContext x)
    {
        WriteCreateKernels(w, x);
        foreach (var layer in x.Plan.Layers)
        {
            w.Line();
            if (layer.Role == LayerRole.Hidden) WriteHiddenOps(w, x, layer);
            else WriteOutputOps(w, x, layer);
        }
        w.Line();
        WriteUpdate(w, x);
    }

    private static void WriteCreateKernels(CodeWriter w, NetworkEmitContext x)
    {
        w.Summary("The kernel plan: one fused kernel class per non-input layer, closed over that layer's ops, and the update rule.");
        w.Line($"private static {RuntimeTypes.KernelSet} CreateKernels() => new {RuntimeTypes.KernelSet}(");
        w.Line($"    new {RuntimeTypes.LayerKernels}?[]");
        w.Line("    {");
        foreach (var layer in x.Network.Layers)
        {
            var plan = x.Plan.Layers.FirstOrDefault(p => p.Name == layer.Name);
            var entry = plan is null
                ? "null"
                : $"new {(plan.Role == LayerRole.Hidden ? RuntimeTypes.HiddenLayerKernels : RuntimeTypes.OutputLayerKernels)}<{x.OpsStructs[layer.Name]}>()";
            var note = plan is null ? $"{layer.Name}: input, no kernels" : layer.Name;
            w.Line($"        {entry}, // {note}");
        }
        w.Line("    },");
        w.Line($"    new {RuntimeTypes.UpdateKernels}<{x.UpdateStruct}>());");
    }

    private static void WriteHiddenOps(CodeWriter w, NetworkEmitContext x, LayerPlan layer)
    {
        var backward = layer.Backward!;
        var derivative = layer.Forward.Activation.IsRowWise ? "the softmax Jacobian" : "f'(a)";
        var delta = (backward.HasSparsenessPenalty ? "(δã + sparseness penalty)" : "δã") + (backward.HasDropout ? " ⊙ m" : "");
        // A batch-normed layer's normalisation is the runtime's (the same pass for every network), between z and f.
        var norm = x.Network.Layers.FirstOrDefault(l => l.Name == layer.Name)?.BatchNorm is { } bn
            ? $" Between z and f the runtime's batch_norm(momentum = {Number(bn.Momentum)}, epsilon = {Number(bn.Epsilon)}) normalises z (docs/semantics.md); backward, δz passes through it."
            : "";
        w.Summary($"{layer.Name}: {Forward(layer)}; backward δz = {delta} ⊙ {derivative}.{norm}");
        w.Line($"private readonly struct {x.OpsStructs[layer.Name]} : {RuntimeTypes.IHiddenLayerOps}");
        w.Open();
        w.Line($"public static bool IsSoftmax => {CSharpLiterals.Bool(layer.Forward.Activation.IsRowWise)};");
        w.Line($"public static bool HasDropout => {CSharpLiterals.Bool(backward.HasDropout)};");
        w.Line($"public static bool HasSparsenessPenalty => {CSharpLiterals.Bool(backward.HasSparsenessPenalty)};");
        WriteActivation(w, layer.Forward.Activation);
        w.Close();
    }

    private static string Number(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteOutputOps(CodeWriter w, NetworkEmitContext x, LayerPlan layer)
    {
        var output = layer.Output!;
        w.Summary($"{layer.Name}: {Forward(layer)}; loss {DnetSpelling.Of(output.LossKind)} against {(output.SparseTargets ? "sparse" : "dense")} targets from {output.Target}; {DeltaNote(output.Form)}.");
        w.Line($"private readonly struct {x.OpsStructs[layer.Name]} : {RuntimeTypes.IOutputLayerOps}");
        w.Open();
        w.Line($"public static bool IsSoftmax => {CSharpLiterals.Bool(layer.Forward.Activation.IsRowWise)};");
        WriteActivation(w, layer.Forward.Activation);
        w.Line("// ℓ(a, t) per element; logarithms clamp their argument at 1e-7.");
        CSharpFormulaPrinter.WriteBody(w, LossSignature, output.Loss, "p");
        w.Line("// " + DeltaComment(output.Form));
        CSharpFormulaPrinter.WriteBody(w, DeltaSignature, output.Delta, "p");
        w.Close();
    }

    private static void WriteActivation(CodeWriter w, ActivationPlan activation)
    {
        if (activation.IsRowWise)
        {
            const string Message = "\"Softmax normalises whole rows: the runtime computes it and its Jacobian (IsSoftmax).\"";
            w.Line($"{ActivateSignature} => throw new global::System.NotSupportedException({Message});");
            w.Line($"{DerivativeSignature} => throw new global::System.NotSupportedException({Message});");
            return;
        }
        CSharpFormulaPrinter.WriteBody(w, ActivateSignature, activation.Activate!, "p");
        CSharpFormulaPrinter.WriteBody(w, DerivativeSignature, activation.Derivative!, "p");
    }

    private static void WriteUpdate(CodeWriter w, NetworkEmitContext x)
    {
        var update = x.Plan.Update;
        w.Summary($"{DnetSpelling.Of(update.Kind)}{(update.Kind == OptimizerKind.Sgd && update.HasMomentum ? " with momentum" : "")}: {UpdateNote(update)}");
        w.Line($"private readonly struct {x.UpdateStruct} : {RuntimeTypes.IUpdateRule}");
        w.Open();
        w.Line($"public static int StateCount => {CSharpLiterals.Int(update.StateCount)};");
        w.Line("// g is the batch sum: scaled to the mean, then weight decay, then the rule.");
        CSharpFormulaPrinter.WriteBody(w, UpdateSignature, update.Rule, "c");
        w.Close();
    }

    internal static string Forward(LayerPlan layer)
    {
        var f = layer.Forward;
        var sum = string.Join(" + ", f.Edges.Select(e => e.Kind == EdgeKind.SparseGather ? $"gather({e.Source})·W"
            : e.TiedOwnerSource is { } owner ? $"{e.Source}·Wᵀ({owner} → {e.Source}, tied)" : $"{e.Source}·W"));
        var text = $"z = {sum} + b, a = {DnetSpelling.Of(f.Activation.Kind)}(z)";
        return f.HasDropout ? text + ", ã = a ⊙ dropout mask" : text;
    }

    private static string DeltaNote(DeltaForm form) => form switch
    {
        DeltaForm.Simplified => "delta folded through f' and simplified",
        DeltaForm.Folded => "delta ∂ℓ/∂a·f'(a)",
        _ => "delta a·∂ℓ/∂a, the runtime applies the softmax Jacobian",
    };

    private static string DeltaComment(DeltaForm form) => form switch
    {
        DeltaForm.Simplified => "∂ℓ/∂z = f'(a)·∂ℓ/∂a, simplified for this activation and loss (no division by f').",
        DeltaForm.Folded => "∂ℓ/∂z = ∂ℓ/∂a·f'(a).",
        DeltaForm.SoftmaxScaledSimplified => "a·∂ℓ/∂a, simplified (the runtime applies the softmax Jacobian: δz = u − a·Σu).",
        _ => "a·∂ℓ/∂a (the runtime applies the softmax Jacobian: δz = u − a·Σu).",
    };

    internal static string UpdateNote(UpdatePlan update) => update.Name switch
    {
        "Sgd" => "w −= η g.",
        "SgdMomentum" or "Momentum" => "v = μv − ηg; w += v.",
        "Nesterov" => "v' = μv − ηg; w += −μv + (1 + μ)v'; v = v'.",
        "AdaGrad" => "s += g²; w −= ηg / (√s + ε).",
        "RmsProp" => "s = ρs + (1 − ρ)g²; w −= ηg / (√s + ε).",
        "AdaDelta" => "s = ρs + (1 − ρ)g²; Δ = −√(u + ε)/√(s + ε)·g; u = ρu + (1 − ρ)Δ²; w += ηΔ.",
        "Adam" => "m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; w −= η(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε).",
        _ => update.Name + ".",
    };
}
