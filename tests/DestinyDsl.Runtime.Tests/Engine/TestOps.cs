using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Tests.Engine;

// Hand-written ops in the shape the generator emits (docs/generated-code.md), composed generically so every
// activation × loss pair can be exercised. Deltas use the plain chain rule ℓ'(a)·f'(a) (no simplification), so the
// engine is checked independently of the generator's algebra.

public interface IActivationFormula
{
    static abstract bool IsSoftmax { get; }
    static abstract TV Activate<TV>(TV z) where TV : struct, ISimd<TV>;
    static abstract TV Derivative<TV>(TV a) where TV : struct, ISimd<TV>;
}

public interface ILossFormula
{
    static abstract TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>;
    /// <summary>∂ℓ/∂a.</summary>
    static abstract TV Gradient<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>;
}

public readonly struct Sigmoid : IActivationFormula
{
    public static bool IsSoftmax => false;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => TV.One / (TV.One + TV.Exp(-z));
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => a * (TV.One - a);
}

public readonly struct Tanh : IActivationFormula
{
    public static bool IsSoftmax => false;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => TV.One - (TV.Create(2f) / (TV.Exp(z + z) + TV.One));
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => TV.One - (a * a);
}

public readonly struct Relu : IActivationFormula
{
    public static bool IsSoftmax => false;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => TV.Max(z, TV.Zero);
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => TV.Select(TV.GreaterThan(a, TV.Zero), TV.One, TV.Zero);
}

public readonly struct LeakyRelu : IActivationFormula
{
    public static bool IsSoftmax => false;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => TV.Select(TV.GreaterThan(z, TV.Zero), z, z * TV.Create(0.1f));
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => TV.Select(TV.GreaterThan(a, TV.Zero), TV.One, TV.Create(0.1f));
}

public readonly struct Elu : IActivationFormula
{
    public static bool IsSoftmax => false;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => TV.Select(TV.GreaterThan(z, TV.Zero), z, TV.Exp(z) - TV.One);
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => TV.Select(TV.GreaterThan(a, TV.Zero), TV.One, a + TV.One);
}

public readonly struct Selu : IActivationFormula
{
    private const float Lambda = 1.0507009873554805f;
    private const float Alpha = 1.6732632423543772f;
    public static bool IsSoftmax => false;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => TV.Create(Lambda) * TV.Select(TV.GreaterThan(z, TV.Zero), z, TV.Create(Alpha) * (TV.Exp(z) - TV.One));
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => TV.Select(TV.GreaterThan(a, TV.Zero), TV.Create(Lambda), a + TV.Create(Lambda * Alpha));
}

public readonly struct Softplus : IActivationFormula
{
    public static bool IsSoftmax => false;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => TV.Max(z, TV.Zero) + TV.Log(TV.One + TV.Exp(-TV.Abs(z)));
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => TV.One - TV.Exp(-a);
}

public readonly struct Softsign : IActivationFormula
{
    public static bool IsSoftmax => false;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => z / (TV.One + TV.Abs(z));
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> { var s = TV.One - TV.Abs(a); return s * s; }
}

public readonly struct Linear : IActivationFormula
{
    public static bool IsSoftmax => false;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => z;
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => TV.One;
}

public readonly struct Softmax : IActivationFormula
{
    public static bool IsSoftmax => true;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => z;
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => TV.One;
}

internal static class Clamp
{
    public static TV Log<TV>(TV x) where TV : struct, ISimd<TV> => TV.Log(TV.Max(x, TV.Create(1e-7f)));
    public static TV Positive<TV>(TV t) where TV : struct, ISimd<TV> => TV.GreaterThan(t, TV.Zero);
}

public readonly struct L1 : ILossFormula
{
    public static TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> => TV.Abs(a - t);
    public static TV Gradient<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>
        => TV.Select(TV.GreaterThan(a, t), TV.One, TV.Select(TV.LessThan(a, t), -TV.One, TV.Zero));
}

public readonly struct L2 : ILossFormula
{
    public static TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> => TV.Create(0.5f) * (a - t) * (a - t);
    public static TV Gradient<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> => a - t;
}

public readonly struct CrossEntropy : ILossFormula
{
    public static TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> => -(t * Clamp.Log(a)) - ((TV.One - t) * Clamp.Log(TV.One - a));
    public static TV Gradient<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> => (a - t) / (a * (TV.One - a));
}

/// <summary>Multinomial cross entropy (the softmax variant): −t log a.</summary>
public readonly struct MultinomialCrossEntropy : ILossFormula
{
    public static TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> => -(t * Clamp.Log(a));
    public static TV Gradient<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> => -(t / a);
}

public readonly struct ScaledMarginalCrossEntropy : ILossFormula
{
    public static TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>
        => TV.Select(Clamp.Positive(t),
            TV.Select(TV.LessThan(a, TV.Create(p.OneTarget)), -TV.Create(p.OneScale) * Clamp.Log(a), TV.Zero),
            TV.Select(TV.GreaterThan(a, TV.Create(p.ZeroTarget)), -TV.Create(p.ZeroScale) * Clamp.Log(TV.One - a), TV.Zero));

    public static TV Gradient<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>
        => TV.Select(Clamp.Positive(t),
            TV.Select(TV.LessThan(a, TV.Create(p.OneTarget)), -TV.Create(p.OneScale) / a, TV.Zero),
            TV.Select(TV.GreaterThan(a, TV.Create(p.ZeroTarget)), TV.Create(p.ZeroScale) / (TV.One - a), TV.Zero));
}

public readonly struct DataScaledMarginalCrossEntropy : ILossFormula
{
    public static TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>
        => TV.Select(Clamp.Positive(t),
            TV.Select(TV.LessThan(a, TV.Create(p.OneTarget)), -TV.Create(p.OneScale) * t * Clamp.Log(a), TV.Zero),
            TV.Select(TV.GreaterThan(a, TV.Create(p.ZeroTarget)), -TV.Create(p.ZeroScale) * Clamp.Log(TV.One - a), TV.Zero));

    public static TV Gradient<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>
        => TV.Select(Clamp.Positive(t),
            TV.Select(TV.LessThan(a, TV.Create(p.OneTarget)), -TV.Create(p.OneScale) * t / a, TV.Zero),
            TV.Select(TV.GreaterThan(a, TV.Create(p.ZeroTarget)), TV.Create(p.ZeroScale) / (TV.One - a), TV.Zero));
}

public readonly struct Hinge : ILossFormula
{
    private static TV Sign<TV>(TV t) where TV : struct, ISimd<TV> => TV.Select(Clamp.Positive(t), TV.One, -TV.One);
    public static TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> => TV.Max(TV.Zero, TV.One - (Sign(t) * a));
    public static TV Gradient<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>
        => TV.Select(TV.LessThan(Sign(t) * a, TV.One), -Sign(t), TV.Zero);
}

public readonly struct L2Hinge : ILossFormula
{
    private static TV Sign<TV>(TV t) where TV : struct, ISimd<TV> => TV.Select(Clamp.Positive(t), TV.One, -TV.One);
    public static TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> { var m = TV.Max(TV.Zero, TV.One - (Sign(t) * a)); return TV.Create(0.5f) * m * m; }
    public static TV Gradient<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> => -Sign(t) * TV.Max(TV.Zero, TV.One - (Sign(t) * a));
}

public readonly struct HiddenOps<TAct, TFlags> : IHiddenLayerOps
    where TAct : struct, IActivationFormula
    where TFlags : struct, IHiddenFlags
{
    public static bool IsSoftmax => TAct.IsSoftmax;
    public static bool HasDropout => TFlags.Dropout;
    public static bool HasSparsenessPenalty => TFlags.Penalty;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => TAct.Activate(z);
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => TAct.Derivative(a);
}

public interface IHiddenFlags
{
    static abstract bool Dropout { get; }
    static abstract bool Penalty { get; }
}

public readonly struct Plain : IHiddenFlags { public static bool Dropout => false; public static bool Penalty => false; }
public readonly struct WithDropout : IHiddenFlags { public static bool Dropout => true; public static bool Penalty => false; }
public readonly struct WithPenalty : IHiddenFlags { public static bool Dropout => false; public static bool Penalty => true; }
public readonly struct WithBoth : IHiddenFlags { public static bool Dropout => true; public static bool Penalty => true; }

public readonly struct OutputOps<TAct, TLoss> : IOutputLayerOps
    where TAct : struct, IActivationFormula
    where TLoss : struct, ILossFormula
{
    public static bool IsSoftmax => TAct.IsSoftmax;
    public static TV Activate<TV>(TV z) where TV : struct, ISimd<TV> => TAct.Activate(z);
    public static TV Derivative<TV>(TV a) where TV : struct, ISimd<TV> => TAct.Derivative(a);
    public static TV Loss<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV> => TLoss.Loss(a, t, p);
    public static TV Delta<TV>(TV a, TV t, in LossParameters p) where TV : struct, ISimd<TV>
        => TAct.IsSoftmax ? a * TLoss.Gradient(a, t, p) : TLoss.Gradient(a, t, p) * TAct.Derivative(a);
}

/// <summary>Writes the mean gradient into the weights: after one step the parameters ARE the gradient.</summary>
public readonly struct CaptureGradient : IUpdateRule
{
    public static int StateCount => 0;
    public static void Update<TV>(ref TV w, TV g, ref TV s1, ref TV s2, in UpdateContext c) where TV : struct, ISimd<TV> => w = g * TV.Create(c.GradientScale);
}

public readonly struct PlainSgd : IUpdateRule
{
    public static int StateCount => 0;
    public static void Update<TV>(ref TV w, TV g, ref TV s1, ref TV s2, in UpdateContext c) where TV : struct, ISimd<TV>
        => w -= TV.Create(c.LearningRate) * ((g * TV.Create(c.GradientScale)) + (TV.Create(c.WeightDecay) * w));
}

public readonly struct RmsPropRule : IUpdateRule
{
    public static int StateCount => 1;
    public static void Update<TV>(ref TV w, TV g, ref TV s1, ref TV s2, in UpdateContext c) where TV : struct, ISimd<TV>
    {
        var gm = (g * TV.Create(c.GradientScale)) + (TV.Create(c.WeightDecay) * w);
        s1 = (TV.Create(c.Decay) * s1) + (TV.Create(1f - c.Decay) * gm * gm);
        w -= TV.Create(c.LearningRate) * gm / (TV.Sqrt(s1) + TV.Create(c.Epsilon));
    }
}
