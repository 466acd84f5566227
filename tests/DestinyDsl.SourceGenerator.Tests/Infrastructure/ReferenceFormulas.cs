using DestinyDsl.Language.Model;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>
/// docs/semantics.md in plain float64, written independently of the lowering, to check the generated ops
/// numerically: activations, losses (with the 1e-7 log clamp), and optimizer steps.
/// </summary>
internal static class ReferenceFormulas
{
    private const double Floor = 1e-7;

    public static double Activate(ActivationModel m, double z) => m.Kind switch
    {
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-z)),
        ActivationKind.Tanh => Math.Tanh(z),
        ActivationKind.Relu => Math.Max(z, 0),
        ActivationKind.LeakyRelu => z > 0 ? z : m.Slope * z,
        ActivationKind.Elu => z > 0 ? z : m.Alpha * (Math.Exp(z) - 1),
        ActivationKind.Selu => m.Lambda * (z > 0 ? z : m.Alpha * (Math.Exp(z) - 1)),
        ActivationKind.Softplus => Math.Log(1 + Math.Exp(z)),
        ActivationKind.Softsign => z / (1 + Math.Abs(z)),
        ActivationKind.Linear => z,
        _ => throw new ArgumentException(m.Kind.ToString()),
    };

    public static double Loss(LossKind kind, bool softmax, double a, double t, double oneTarget, double zeroTarget, double oneScale, double zeroScale)
    {
        static double Log(double x) => Math.Log(Math.Max(x, Floor));
        var y = t > 0 ? 1 : -1;
        switch (kind)
        {
            case LossKind.L1: return Math.Abs(a - t);
            case LossKind.L2: return 0.5 * (a - t) * (a - t);
            case LossKind.CrossEntropy: return softmax ? -t * Log(a) : -t * Log(a) - (1 - t) * Log(1 - a);
            case LossKind.ScaledMarginalCrossEntropy:
                return t > 0 ? (a < oneTarget ? -oneScale * Log(a) : 0) : (a > zeroTarget ? -zeroScale * Log(1 - a) : 0);
            case LossKind.DataScaledMarginalCrossEntropy:
                return t > 0 ? (a < oneTarget ? -oneScale * t * Log(a) : 0) : (a > zeroTarget ? -zeroScale * Log(1 - a) : 0);
            case LossKind.Hinge: return Math.Max(0, 1 - y * a);
            case LossKind.L2Hinge: return 0.5 * Math.Pow(Math.Max(0, 1 - y * a), 2);
            default: throw new ArgumentException(kind.ToString());
        }
    }

    /// <summary>One optimizer step on one weight; state (s1, s2) carried by the caller. <paramref name="step"/> is 1-based.</summary>
    public static (double W, double S1, double S2) Update(OptimizerKind kind, bool momentumForm, double w, double g, double s1, double s2, UpdateSettings c, long step)
    {
        g = g * c.GradientScale + c.WeightDecay * w + c.L1Decay * Math.Sign(w);
        switch (kind)
        {
            case OptimizerKind.Sgd when !momentumForm:
                return (w - c.LearningRate * g, s1, s2);
            case OptimizerKind.Sgd:
            case OptimizerKind.Momentum:
                s1 = c.Momentum * s1 - c.LearningRate * g;
                return (w + s1, s1, s2);
            case OptimizerKind.Nesterov:
                var v = c.Momentum * s1 - c.LearningRate * g;
                return (w - c.Momentum * s1 + (1 + c.Momentum) * v, v, s2);
            case OptimizerKind.AdaGrad:
                s1 += g * g;
                return (w - c.LearningRate * g / (Math.Sqrt(s1) + c.Epsilon), s1, s2);
            case OptimizerKind.RmsProp:
                s1 = c.Decay * s1 + (1 - c.Decay) * g * g;
                return (w - c.LearningRate * g / (Math.Sqrt(s1) + c.Epsilon), s1, s2);
            case OptimizerKind.AdaDelta:
                s1 = c.Decay * s1 + (1 - c.Decay) * g * g;
                var delta = -Math.Sqrt(s2 + c.Epsilon) / Math.Sqrt(s1 + c.Epsilon) * g;
                s2 = c.Decay * s2 + (1 - c.Decay) * delta * delta;
                return (w + c.LearningRate * delta, s1, s2);
            case OptimizerKind.Adam:
                s1 = c.Beta1 * s1 + (1 - c.Beta1) * g;
                s2 = c.Beta2 * s2 + (1 - c.Beta2) * g * g;
                var m = s1 / (1 - Math.Pow(c.Beta1, step));
                var vhat = s2 / (1 - Math.Pow(c.Beta2, step));
                return (w - c.LearningRate * m / (Math.Sqrt(vhat) + c.Epsilon), s1, s2);
            default:
                throw new ArgumentException(kind.ToString());
        }
    }
}

/// <summary>Optimizer hyperparameters of one reference step.</summary>
internal sealed record UpdateSettings(double LearningRate, double Momentum, double Decay, double Beta1, double Beta2, double Epsilon, double WeightDecay, double L1Decay, double GradientScale);
