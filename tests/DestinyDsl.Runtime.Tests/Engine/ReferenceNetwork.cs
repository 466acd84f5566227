using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// A deliberately plain float64 implementation of a network's objective and its gradients (docs/semantics.md),
/// written independently of the engine: dense arrays, explicit loops, no sharding, no fusion. Gradient checks
/// validate it against finite differences, then compare the engine's float32 gradients with it.
/// </summary>
internal sealed class ReferenceNetwork
{
    private readonly NetworkSpec _spec;

    public ReferenceNetwork(NetworkSpec spec, Dictionary<(string Layer, string Source), double[,]> weights, Dictionary<string, double[]> biases)
    {
        _spec = spec;
        Weights = weights;
        Biases = biases;
    }

    /// <summary>W[in, out] per edge.</summary>
    public Dictionary<(string Layer, string Source), double[,]> Weights { get; }

    public Dictionary<string, double[]> Biases { get; }

    /// <summary>Dropout mask per (layer, row, unit): 0 or 1/(1 − p); null = no dropout.</summary>
    public Func<string, int, int, double>? Mask { get; init; }

    /// <summary>
    /// What the input layers feed forward when it differs from <c>inputs</c> (denoised sparse inputs); the targets
    /// always come from <c>inputs</c>, the original data.
    /// </summary>
    public Dictionary<string, double[,]>? Corrupted { get; init; }

    public double SparsenessP { get; init; }

    public double SparsenessBeta { get; init; }

    /// <summary>Hidden layers that carry the sparseness penalty.</summary>
    public HashSet<string> PenaltyLayers { get; init; } = new();

    /// <summary>The per-example weights w_b multiplying each example's data loss (null = 1 for every example).</summary>
    public double[]? ExampleWeights { get; init; }

    private double WeightOf(int row) => ExampleWeights?[row] ?? 1.0;

    /// <summary>Batch norm γ per batch-normed layer (missing: 1 for every unit).</summary>
    public Dictionary<string, double[]> Gammas { get; init; } = new();

    /// <summary>Batch norm β per batch-normed layer (missing: 0).</summary>
    public Dictionary<string, double[]> Betas { get; init; } = new();

    /// <summary>When set, batch-normed layers normalise with these (inference); otherwise with the batch's statistics (training).</summary>
    public Dictionary<string, (double[] Mean, double[] Var)>? RunningStatistics { get; init; }

    /// <summary>The batch's mean and biased variance of z = Σ W x + b per batch-normed layer, from the last run.</summary>
    public Dictionary<string, (double[] Mean, double[] Var)> BatchStatistics { get; } = new();

    /// <summary>dJ/dγ and dJ/dβ per batch-normed layer, from the last <see cref="Gradients"/>.</summary>
    public Dictionary<string, (double[] Gamma, double[] Beta)> NormGradients { get; } = new();

    /// <summary>Objective J = (1/B) Σ_b w_b·(data loss of b) + β Σ KL for the batch (inputs: layer → [B, N] dense, sparse ones densified).</summary>
    public double Objective(Dictionary<string, double[,]> inputs) => Run(inputs, gradients: null, out _);

    /// <summary>Objective and its gradient with respect to every weight and bias.</summary>
    public double Gradients(Dictionary<string, double[,]> inputs, out Dictionary<(string, string), double[,]> dW, out Dictionary<string, double[]> db)
    {
        var g = new Grad();
        var j = Run(inputs, g, out _);
        dW = g.Weights;
        db = g.Biases;
        return j;
    }

    /// <summary>Mean data loss per example only (what the engine reports).</summary>
    public double DataLoss(Dictionary<string, double[,]> inputs)
    {
        Run(inputs, null, out var data);
        return data;
    }

    private sealed class Grad
    {
        public Dictionary<(string, string), double[,]> Weights = new();
        public Dictionary<string, double[]> Biases = new();
    }

    private double Run(Dictionary<string, double[,]> inputs, Grad? gradients, out double dataLoss)
    {
        var layers = _spec.Layers;
        var batch = inputs.Values.First().GetLength(0);
        var a = new Dictionary<string, double[,]>();   // post-dropout outputs ã
        var pre = new Dictionary<string, double[,]>(); // pre-dropout a
        var normalized = new Dictionary<string, double[,]>(); // ẑ of batch-normed layers
        var inverseStd = new Dictionary<string, double[]>();
        var order = TopologicalOrder();
        foreach (var l in order)
        {
            if (l.Kind == LayerKind.Input)
            {
                var fed = Corrupted is not null && Corrupted.TryGetValue(l.Name, out var c) ? c : inputs[l.Name];
                var x = (double[,])fed.Clone();
                ApplyMask(l.Name, x);
                a[l.Name] = x;
                pre[l.Name] = fed;
                continue;
            }
            var z = new double[batch, l.Width];
            foreach (var s in l.Sources)
            {
                var w = Weights[(l.Name, s)];
                var xs = a[s];
                for (var b = 0; b < batch; b++)
                    for (var j = 0; j < l.Width; j++)
                    {
                        double sum = 0;
                        for (var i = 0; i < xs.GetLength(1); i++) sum += xs[b, i] * w[i, j];
                        z[b, j] += sum;
                    }
            }
            for (var b = 0; b < batch; b++)
                for (var j = 0; j < l.Width; j++) z[b, j] += Biases[l.Name][j];
            if (l.BatchNorm is { } bn) z = Normalize(l, bn, z, normalized, inverseStd);
            var act = Activate(l.Activation, z);
            pre[l.Name] = act;
            var dropped = (double[,])act.Clone();
            if (l.Kind == LayerKind.Hidden) ApplyMask(l.Name, dropped);
            a[l.Name] = dropped;
        }

        // Objective.
        double data = 0;
        foreach (var l in layers.Where(l => l.Kind == LayerKind.Output))
        {
            var t = inputs[l.Target!];
            var y = a[l.Name];
            for (var b = 0; b < batch; b++)
                for (var j = 0; j < l.Width; j++) data += WeightOf(b) * Loss(_spec.Loss, l.Activation.Kind, y[b, j], t[b, j]);
        }
        data /= batch;
        dataLoss = data;
        double penalty = 0;
        var rho = new Dictionary<string, double[]>();
        foreach (var name in PenaltyLayers)
        {
            var y = a[name];
            var r = new double[y.GetLength(1)];
            for (var j = 0; j < r.Length; j++)
            {
                double s = 0;
                for (var b = 0; b < batch; b++) s += y[b, j];
                r[j] = Math.Clamp(s / batch, 1e-6, 1 - 1e-6);
                var p = SparsenessP;
                penalty += SparsenessBeta * ((p * Math.Log(p / r[j])) + ((1 - p) * Math.Log((1 - p) / (1 - r[j]))));
            }
            rho[name] = r;
        }
        if (gradients is null) return data + penalty;

        // Backward: dJ/dã per layer.
        var dA = layers.ToDictionary(l => l.Name, l => new double[batch, l.Width]);
        foreach (var l in Enumerable.Reverse(order))
        {
            if (l.Kind == LayerKind.Input) continue;
            var dz = new double[batch, l.Width];
            var y = pre[l.Name];
            if (l.Kind == LayerKind.Output)
            {
                var t = inputs[l.Target!];
                var g = new double[batch, l.Width];
                for (var b = 0; b < batch; b++)
                    for (var j = 0; j < l.Width; j++) g[b, j] = WeightOf(b) * LossGradient(_spec.Loss, l.Activation.Kind, y[b, j], t[b, j]) / batch;
                dz = ActivationBackward(l.Activation, y, g);
            }
            else
            {
                var dy = dA[l.Name];
                if (rho.TryGetValue(l.Name, out var r))
                {
                    for (var b = 0; b < batch; b++)
                        for (var j = 0; j < l.Width; j++) dy[b, j] += SparsenessBeta * ((-SparsenessP / r[j]) + ((1 - SparsenessP) / (1 - r[j]))) / batch;
                }
                // ã = a ⊙ m: dJ/da = dJ/dã ⊙ m.
                for (var b = 0; b < batch; b++)
                    for (var j = 0; j < l.Width; j++) dy[b, j] *= Mask?.Invoke(l.Name, b, j) ?? 1.0;
                dz = ActivationBackward(l.Activation, y, dy);
                if (l.BatchNorm is not null) dz = NormalizeBackward(l, dz, normalized[l.Name], inverseStd[l.Name]);
            }
            var db = new double[l.Width];
            for (var b = 0; b < batch; b++)
                for (var j = 0; j < l.Width; j++) db[j] += dz[b, j];
            gradients.Biases[l.Name] = db;
            foreach (var s in l.Sources)
            {
                var w = Weights[(l.Name, s)];
                var xs = a[s];
                var dw = new double[xs.GetLength(1), l.Width];
                for (var i = 0; i < xs.GetLength(1); i++)
                    for (var j = 0; j < l.Width; j++)
                    {
                        double sum = 0;
                        for (var b = 0; b < batch; b++) sum += xs[b, i] * dz[b, j];
                        dw[i, j] = sum;
                    }
                gradients.Weights[(l.Name, s)] = dw;
                var ds = dA[s];
                for (var b = 0; b < batch; b++)
                    for (var i = 0; i < xs.GetLength(1); i++)
                    {
                        double sum = 0;
                        for (var j = 0; j < l.Width; j++) sum += dz[b, j] * w[i, j];
                        ds[b, i] += sum;
                    }
            }
        }
        return data + penalty;
    }

    /// <summary>
    /// PyTorch's BatchNorm1d: ẑ = (z − μ)/√(σ² + ε) with the batch's mean and biased variance (or the running ones),
    /// y = γ ẑ + β. Training keeps ẑ and 1/√(σ² + ε) for the backward pass.
    /// </summary>
    private double[,] Normalize(LayerSpec l, BatchNormSpec bn, double[,] z, Dictionary<string, double[,]> normalized, Dictionary<string, double[]> inverseStd)
    {
        var rows = z.GetLength(0);
        var n = l.Width;
        var mean = new double[n];
        var variance = new double[n];
        if (RunningStatistics is { } running)
        {
            (mean, variance) = running[l.Name];
        }
        else
        {
            for (var j = 0; j < n; j++)
            {
                for (var b = 0; b < rows; b++) mean[j] += z[b, j] / rows;
                for (var b = 0; b < rows; b++) variance[j] += (z[b, j] - mean[j]) * (z[b, j] - mean[j]) / rows;
            }
            BatchStatistics[l.Name] = (mean, variance);
        }
        var hat = new double[rows, n];
        var inv = new double[n];
        var y = new double[rows, n];
        for (var j = 0; j < n; j++)
        {
            inv[j] = 1 / Math.Sqrt(variance[j] + bn.Epsilon);
            var gamma = Gammas.TryGetValue(l.Name, out var g) ? g[j] : 1.0;
            var beta = Betas.TryGetValue(l.Name, out var be) ? be[j] : 0.0;
            for (var b = 0; b < rows; b++)
            {
                hat[b, j] = (z[b, j] - mean[j]) * inv[j];
                y[b, j] = (gamma * hat[b, j]) + beta;
            }
        }
        normalized[l.Name] = hat;
        inverseStd[l.Name] = inv;
        return y;
    }

    /// <summary>dJ/dz from dJ/dy through a training normalisation (through μ and σ² too); records dJ/dγ and dJ/dβ.</summary>
    private double[,] NormalizeBackward(LayerSpec l, double[,] dy, double[,] hat, double[] inv)
    {
        var rows = dy.GetLength(0);
        var n = l.Width;
        var dz = new double[rows, n];
        var dGamma = new double[n];
        var dBeta = new double[n];
        for (var j = 0; j < n; j++)
        {
            var gamma = Gammas.TryGetValue(l.Name, out var g) ? g[j] : 1.0;
            for (var b = 0; b < rows; b++)
            {
                dGamma[j] += dy[b, j] * hat[b, j];
                dBeta[j] += dy[b, j];
            }
            for (var b = 0; b < rows; b++)
                dz[b, j] = gamma * inv[j] * (dy[b, j] - (dBeta[j] / rows) - (hat[b, j] * dGamma[j] / rows));
        }
        NormGradients[l.Name] = (dGamma, dBeta);
        return dz;
    }

    private void ApplyMask(string layer, double[,] values)
    {
        if (Mask is null) return;
        for (var b = 0; b < values.GetLength(0); b++)
            for (var j = 0; j < values.GetLength(1); j++) values[b, j] *= Mask(layer, b, j);
    }

    private List<LayerSpec> TopologicalOrder()
    {
        var done = new HashSet<string>();
        var order = new List<LayerSpec>();
        while (order.Count < _spec.Layers.Count)
        {
            foreach (var l in _spec.Layers)
            {
                if (done.Contains(l.Name) || !l.Sources.All(done.Contains)) continue;
                done.Add(l.Name);
                order.Add(l);
            }
        }
        return order;
    }

    public static double[,] Activate(ActivationSpec act, double[,] z)
    {
        var rows = z.GetLength(0);
        var n = z.GetLength(1);
        var a = new double[rows, n];
        for (var b = 0; b < rows; b++)
        {
            if (act.Kind == ActivationKind.Softmax)
            {
                var max = double.NegativeInfinity;
                for (var j = 0; j < n; j++) max = Math.Max(max, z[b, j]);
                double s = 0;
                for (var j = 0; j < n; j++) s += Math.Exp(z[b, j] - max);
                for (var j = 0; j < n; j++) a[b, j] = Math.Exp(z[b, j] - max) / s;
                continue;
            }
            for (var j = 0; j < n; j++) a[b, j] = Activate(act, z[b, j]);
        }
        return a;
    }

    private static double Activate(ActivationSpec act, double z) => act.Kind switch
    {
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-z)),
        ActivationKind.Tanh => Math.Tanh(z),
        ActivationKind.Relu => Math.Max(z, 0),
        ActivationKind.LeakyRelu => z > 0 ? z : act.Slope * z,
        ActivationKind.Elu => z > 0 ? z : act.Alpha * (Math.Exp(z) - 1),
        ActivationKind.Selu => act.Lambda * (z > 0 ? z : act.Alpha * (Math.Exp(z) - 1)),
        ActivationKind.Softplus => Math.Log(1 + Math.Exp(z)),
        ActivationKind.Softsign => z / (1 + Math.Abs(z)),
        ActivationKind.Linear => z,
        _ => throw new ArgumentOutOfRangeException(nameof(act)),
    };

    /// <summary>dJ/dz from dJ/da, given a = f(z) (softmax: the full Jacobian).</summary>
    private static double[,] ActivationBackward(ActivationSpec act, double[,] a, double[,] da)
    {
        var rows = a.GetLength(0);
        var n = a.GetLength(1);
        var dz = new double[rows, n];
        for (var b = 0; b < rows; b++)
        {
            if (act.Kind == ActivationKind.Softmax)
            {
                double dot = 0;
                for (var k = 0; k < n; k++) dot += da[b, k] * a[b, k];
                for (var j = 0; j < n; j++) dz[b, j] = a[b, j] * (da[b, j] - dot);
                continue;
            }
            for (var j = 0; j < n; j++)
            {
                var y = a[b, j];
                var d = act.Kind switch
                {
                    ActivationKind.Sigmoid => y * (1 - y),
                    ActivationKind.Tanh => 1 - (y * y),
                    ActivationKind.Relu => y > 0 ? 1 : 0,
                    ActivationKind.LeakyRelu => y > 0 ? 1 : act.Slope,
                    ActivationKind.Elu => y > 0 ? 1 : y + act.Alpha,
                    ActivationKind.Selu => y > 0 ? act.Lambda : y + (act.Lambda * act.Alpha),
                    ActivationKind.Softplus => 1 - Math.Exp(-y),
                    ActivationKind.Softsign => (1 - Math.Abs(y)) * (1 - Math.Abs(y)),
                    ActivationKind.Linear => 1,
                    _ => throw new ArgumentOutOfRangeException(nameof(act)),
                };
                dz[b, j] = da[b, j] * d;
            }
        }
        return dz;
    }

    public static double Loss(LossSpec loss, ActivationKind output, double a, double t)
    {
        static double Log(double x) => Math.Log(Math.Max(x, 1e-7));
        var y = t > 0 ? 1.0 : -1.0;
        return loss.Kind switch
        {
            LossKind.L1 => Math.Abs(a - t),
            LossKind.L2 => 0.5 * (a - t) * (a - t),
            LossKind.CrossEntropy => output == ActivationKind.Softmax ? -t * Log(a) : (-t * Log(a)) - ((1 - t) * Log(1 - a)),
            LossKind.ScaledMarginalCrossEntropy => t > 0
                ? (a < loss.OneTarget ? -loss.OneScale * Log(a) : 0)
                : (a > loss.ZeroTarget ? -loss.ZeroScale * Log(1 - a) : 0),
            LossKind.DataScaledMarginalCrossEntropy => t > 0
                ? (a < loss.OneTarget ? -loss.OneScale * t * Log(a) : 0)
                : (a > loss.ZeroTarget ? -loss.ZeroScale * Log(1 - a) : 0),
            LossKind.Hinge => Math.Max(0, 1 - (y * a)),
            LossKind.L2Hinge => 0.5 * Math.Pow(Math.Max(0, 1 - (y * a)), 2),
            _ => throw new ArgumentOutOfRangeException(nameof(loss)),
        };
    }

    public static double LossGradient(LossSpec loss, ActivationKind output, double a, double t)
    {
        var y = t > 0 ? 1.0 : -1.0;
        return loss.Kind switch
        {
            LossKind.L1 => Math.Sign(a - t),
            LossKind.L2 => a - t,
            LossKind.CrossEntropy => output == ActivationKind.Softmax ? -t / a : (a - t) / (a * (1 - a)),
            LossKind.ScaledMarginalCrossEntropy => t > 0
                ? (a < loss.OneTarget ? -loss.OneScale / a : 0)
                : (a > loss.ZeroTarget ? loss.ZeroScale / (1 - a) : 0),
            LossKind.DataScaledMarginalCrossEntropy => t > 0
                ? (a < loss.OneTarget ? -loss.OneScale * t / a : 0)
                : (a > loss.ZeroTarget ? loss.ZeroScale / (1 - a) : 0),
            LossKind.Hinge => y * a < 1 ? -y : 0,
            LossKind.L2Hinge => -y * Math.Max(0, 1 - (y * a)),
            _ => throw new ArgumentOutOfRangeException(nameof(loss)),
        };
    }
}
