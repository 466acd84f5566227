using System.Reflection;
using DestinyDsl.Language.Model;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Kernels.Simd;
using DestinyDsl.SourceGenerator.Tests.Infrastructure;

namespace DestinyDsl.SourceGenerator.Tests;

/// <summary>
/// The formulas inside the generated ops structs, run on the runtime's <see cref="Scalar"/> lane, against
/// docs/semantics.md in float64: activations, f' through a, losses, and the folded / simplified deltas (checked
/// against a numerical derivative of ℓ(f(z), t)), and several steps of every update rule.
/// </summary>
public class GeneratedFormulaTests
{
    private static readonly NetworkModel[] AllModels = GeneratorHarness.Models("Coverage").Concat(GeneratorHarness.Models("MovieLens")).ToArray();

    private static readonly Lazy<Assembly> Generated = new(() =>
    {
        return TestCompilation.Load(TestCompilation.Create(TestEmitter.Emit(AllModels).Select(s => s.Text), "Formulas"));
    });

    private static readonly double[] Points = { -3.1, -1.7, -0.45, -0.05, 0.07, 0.3, 0.9, 2.2, 4.5 };

    public static TheoryData<string> Networks() => new(AllModels.Select(n => n.Name));

    private static NetworkModel Model(string name) => AllModels.Single(n => n.Name == name);

    [Theory]
    [MemberData(nameof(Networks))]
    public void ActivationsAndDerivativesMatchSemantics(string network)
    {
        var model = Model(network);
        foreach (var layer in model.Layers.Where(l => l.Kind != LayerKind.Input))
        {
            var ops = Ops(model, layer);
            var softmax = (bool)ops.GetProperty("IsSoftmax")!.GetValue(null)!;
            Assert.Equal(layer.Activation.Kind == ActivationKind.Softmax, softmax);
            if (softmax) continue;
            foreach (var z in Points)
            {
                var a = Call(ops, "Activate", z);
                Assert.True(Close(ReferenceFormulas.Activate(layer.Activation, z), a, 1e-5), $"{network}.{layer.Name} f({z}) = {a}");
                // f'(z) from a, against a central difference of the float64 reference (away from kinks at 0).
                var h = 1e-5;
                var numeric = (ReferenceFormulas.Activate(layer.Activation, z + h) - ReferenceFormulas.Activate(layer.Activation, z - h)) / (2 * h);
                var derivative = Call(ops, "Derivative", a);
                Assert.True(Close(numeric, derivative, 2e-4), $"{network}.{layer.Name} f'({z}) = {derivative}, numerically {numeric}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void LossesAndDeltasMatchSemantics(string network)
    {
        var model = Model(network);
        var loss = model.Loss;
        var p = new LossParameters((float)loss.OneTarget.Value, (float)loss.ZeroTarget.Value, (float)loss.OneScale.Value, (float)loss.ZeroScale.Value);
        foreach (var layer in model.Layers.Where(l => l.Kind == LayerKind.Output))
        {
            var ops = Ops(model, layer);
            var softmax = layer.Activation.Kind == ActivationKind.Softmax;
            foreach (var t in new[] { 0.0, 1.0, 0.6 })
            {
                foreach (var z in Points)
                {
                    // Softmax outputs are probabilities: probe a in (0, 1) directly.
                    var a = softmax ? 1 / (1 + Math.Exp(-z)) : ReferenceFormulas.Activate(layer.Activation, z);
                    double Ell(double x) => ReferenceFormulas.Loss(loss.Kind, softmax, x, t, p.OneTarget, p.ZeroTarget, p.OneScale, p.ZeroScale);
                    var actualLoss = Call(ops, "Loss", (float)a, (float)t, p);
                    Assert.True(Close(Ell(a), actualLoss, 1e-4), $"{network}.{layer.Name} ℓ({a}, {t}) = {actualLoss}, expected {Ell(a)}");

                    var h = 1e-6;
                    if (IsNearKink(loss, a, t, p, 1e-3)) continue;
                    if (LogIsClamped(loss.Kind, a))
                    {
                        // Outside (0, 1) the clamped log is flat, but the generated delta keeps a large finite gradient
                        // that points back into range (denominators clamp at 1e-7 too): check that instead.
                        var clamped = Call(ops, "Delta", (float)a, (float)t, p);
                        Assert.True(double.IsFinite(clamped), $"{network}.{layer.Name} δ(a={a}, t={t}) = {clamped}");
                        continue;
                    }
                    double expectedDelta;
                    if (softmax)
                    {
                        expectedDelta = a * (Ell(a + h) - Ell(a - h)) / (2 * h);
                    }
                    else
                    {
                        double EllOfZ(double x) => Ell(ReferenceFormulas.Activate(layer.Activation, x));
                        expectedDelta = (EllOfZ(z + h) - EllOfZ(z - h)) / (2 * h);
                    }
                    var delta = Call(ops, "Delta", (float)a, (float)t, p);
                    Assert.True(Close(expectedDelta, delta, 2e-3), $"{network}.{layer.Name} δ(z={z}, a={a}, t={t}) = {delta}, numerically {expectedDelta}");
                }
            }
        }
    }

    /// <summary>Float32 rule vs float64 reference, per step: 2·10⁻⁶·max(1, |w|) (the rule's own rounding is ≲ 10⁻⁷ here).</summary>
    private const double UpdateTolerance = 2e-6;

    /// <summary>
    /// Decays large enough that each one changes the trajectory by far more than <see cref="UpdateTolerance"/>: with
    /// w ≈ 0.37 and mean gradients g/B in [−0.28, 0.21], λ₂·w ≈ 0.19 and λ₁ = 0.3 are comparable to the gradient
    /// itself, so they flip its sign at some steps even under the normalising optimizers (Adam, AdaGrad, RMSProp), whose
    /// step barely depends on g's scale.
    /// </summary>
    private const double WeightDecay = 0.5, L1Decay = 0.3;

    private static readonly double[] Gradients = { 0.8, -0.3, 1.7, 0.05, -2.2 };

    [Theory]
    [MemberData(nameof(Networks))]
    public void UpdateRuleMatchesSemanticsOverSeveralSteps(string network)
    {
        var model = Model(network);
        var o = model.Optimizer;
        var rule = Generated.Value.GetType(Qualified(model))!.GetNestedTypes(BindingFlags.NonPublic).Single(t => t.Name.EndsWith("Update", StringComparison.Ordinal));
        var stateCount = (int)rule.GetProperty("StateCount")!.GetValue(null)!;
        var momentumForm = o.Kind != OptimizerKind.Sgd || o.HasMomentum;
        Assert.Equal(o.Kind switch { OptimizerKind.Sgd => momentumForm ? 1 : 0, OptimizerKind.AdaDelta or OptimizerKind.Adam => 2, _ => 1 }, stateCount);
        // The learning rate is a run-time value of the rule (UpdateContext); 0.05 makes every optimizer's steps large
        // enough that the decays' effect dwarfs float32 rounding (AdaDelta keeps the file's: its η multiplies a step
        // that is already scaled by √ε).
        var learningRate = o.Kind == OptimizerKind.AdaDelta ? o.LearningRate.Value : 0.05;
        var settings = new UpdateSettings(learningRate, o.Momentum.Value, o.Decay.Value, o.Beta1.Value, o.Beta2.Value, o.Epsilon.Value, WeightDecay, L1Decay, 1.0 / 8);

        var generated = GeneratedTrajectory(rule, settings);
        var expected = ReferenceTrajectory(o.Kind, momentumForm, settings);
        var mismatch = FirstMismatch(expected, generated, UpdateTolerance);
        Assert.True(mismatch is null, $"{network} {o.Kind}: {mismatch}");

        // Negative controls: a rule that ignores weight_decay, and one that ignores l1_decay, are rejected by the same
        // comparison, even at a hundred times its tolerance.
        foreach (var (what, broken) in new (string, UpdateSettings)[]
        {
            ("without weight_decay", settings with { WeightDecay = 0 }),
            ("without l1_decay", settings with { L1Decay = 0 }),
        })
        {
            var wrong = ReferenceTrajectory(o.Kind, momentumForm, broken);
            Assert.True(FirstMismatch(expected, wrong, 100 * UpdateTolerance) is not null,
                $"{network} {o.Kind}: a rule {what} stays within 100× the tolerance ({string.Join(", ", wrong.Select((w, i) => $"{w:G6} vs {expected[i]:G6}"))})");
        }
    }

    /// <summary>The generated rule's weight after each step, in float32 on the <see cref="Scalar"/> lane.</summary>
    private static double[] GeneratedTrajectory(Type rule, UpdateSettings settings)
    {
        var update = rule.GetMethod("Update")!.MakeGenericMethod(typeof(Scalar));
        float fw = 0.37f, fs1 = 0, fs2 = 0;
        var trajectory = new double[Gradients.Length];
        for (var step = 1; step <= Gradients.Length; step++)
        {
            var c = new UpdateContext((float)settings.LearningRate, (float)settings.Momentum, (float)settings.Decay, (float)settings.Beta1, (float)settings.Beta2,
                (float)settings.Epsilon, (float)settings.WeightDecay, (float)settings.L1Decay, (float)settings.GradientScale, step,
                (float)(1 - Math.Pow(settings.Beta1, step)), (float)(1 - Math.Pow(settings.Beta2, step)));
            var args = new object[] { Scalar.Create(fw), Scalar.Create((float)Gradients[step - 1]), Scalar.Create(fs1), Scalar.Create(fs2), c };
            update.Invoke(null, args);
            fw = ((Scalar)args[0]).Value;
            fs1 = ((Scalar)args[2]).Value;
            fs2 = ((Scalar)args[3]).Value;
            trajectory[step - 1] = fw;
        }
        return trajectory;
    }

    /// <summary>docs/semantics.md's update in float64, weight after each step.</summary>
    private static double[] ReferenceTrajectory(OptimizerKind kind, bool momentumForm, UpdateSettings settings)
    {
        double w = 0.37, s1 = 0, s2 = 0;
        var trajectory = new double[Gradients.Length];
        for (var step = 1; step <= Gradients.Length; step++)
        {
            (w, s1, s2) = ReferenceFormulas.Update(kind, momentumForm, w, Gradients[step - 1], s1, s2, settings, step);
            trajectory[step - 1] = w;
        }
        return trajectory;
    }

    private static string? FirstMismatch(double[] expected, double[] actual, double tolerance)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            if (!Close(expected[i], actual[i], tolerance)) return $"step {i + 1}: w = {actual[i]:G9}, expected {expected[i]:G9} (tolerance {tolerance:G3}·max(1, |w|))";
        }
        return null;
    }

    private static bool IsNearKink(LossModel loss, double a, double t, LossParameters p, double margin) => loss.Kind switch
    {
        LossKind.ScaledMarginalCrossEntropy or LossKind.DataScaledMarginalCrossEntropy => Math.Abs(a - p.OneTarget) < margin || Math.Abs(a - p.ZeroTarget) < margin,
        LossKind.L1 => Math.Abs(a - t) < margin,
        LossKind.Hinge or LossKind.L2Hinge => Math.Abs(1 - (t > 0 ? a : -a)) < margin,
        _ => false,
    };

    private static bool LogIsClamped(LossKind kind, double a) =>
        kind is LossKind.CrossEntropy or LossKind.ScaledMarginalCrossEntropy or LossKind.DataScaledMarginalCrossEntropy && (a < 1e-6 || 1 - a < 1e-6);

    private static Type Ops(NetworkModel model, LayerModel layer)
    {
        var name = Emit.CSharpNames.Pascal(layer.Name) + "Ops";
        return Generated.Value.GetType(Qualified(model))!.GetNestedType(name, BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"{model.Name} has no {name}.");
    }

    private static string Qualified(NetworkModel model) => model.Namespace is null ? model.Name : model.Namespace + "." + model.Name;

    private static double Call(Type ops, string method, double x) =>
        ((Scalar)ops.GetMethod(method)!.MakeGenericMethod(typeof(Scalar)).Invoke(null, new object[] { Scalar.Create((float)x) })!).Value;

    private static double Call(Type ops, string method, float a, float t, LossParameters p) =>
        ((Scalar)ops.GetMethod(method)!.MakeGenericMethod(typeof(Scalar)).Invoke(null, new object[] { Scalar.Create(a), Scalar.Create(t), p })!).Value;

    private static bool Close(double expected, double actual, double tolerance) =>
        Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected));
}
