using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Tests.Engine;

namespace DestinyDsl.Runtime.Tests.Reference;

/// <summary>
/// The hyperparameters the float64 reference trains with, written by the test from the .dnet text (not read from the
/// generated spec), so that a generator that maps a setting wrongly disagrees with the reference.
/// </summary>
internal sealed record ReferenceSettings(
    LossSpec Loss,
    OptimizerKind Optimizer,
    double LearningRate,
    bool MomentumForm = true,
    double Momentum = 0,
    double Decay = 0.9,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-8,
    double WeightDecay = 0,
    double L1Decay = 0,
    int Batch = 8,
    ulong Seed = 0,
    double Denoising = 0,
    double SparsenessP = 0.5,
    double SparsenessBeta = 0)
{
    public Dictionary<string, double> Dropout { get; init; } = new();

    public Dictionary<string, double> MaxNorm { get; init; } = new();

    /// <summary>
    /// Tied edges, written from the .dnet file: (layer, source) of the tied use → (layer, source) of the edge that owns
    /// the weights. The tied use's matrix is the owner's transposed; empty = every edge independent (the negative control).
    /// </summary>
    public Dictionary<(string, string), (string, string)> Ties { get; init; } = new();
}

/// <summary>
/// Training in float64, written from docs/semantics.md alone: rows in file order (no shuffle), per step the denoised
/// inputs and dropout masks of <see cref="ReferenceRng"/>, gradients from <see cref="ReferenceNetwork"/> (itself
/// validated by finite differences in GradientCheckTests), the optimizer's update with weight decay on weights only,
/// the sparse input's rows updated only where a feature occurs in the (denoised) batch, then max-norm.
/// </summary>
internal sealed class ReferenceTrainer
{
    private readonly NetworkSpec _spec;
    private readonly ReferenceSettings _s;
    private readonly Dictionary<string, double[,]> _data;
    private readonly Dictionary<(string, string), (double[,] S1, double[,] S2)> _weightState = new();
    private readonly Dictionary<string, (double[] S1, double[] S2)> _biasState = new();
    private long _step;

    public ReferenceTrainer(NetworkSpec structure, ReferenceSettings settings, Dictionary<(string, string), double[,]> weights, Dictionary<string, double[]> biases, Dictionary<string, double[,]> data)
    {
        _spec = structure with { Loss = settings.Loss };
        _s = settings;
        Weights = weights;
        Biases = biases;
        _data = data;
        foreach (var (k, w) in weights) _weightState[k] = (new double[w.GetLength(0), w.GetLength(1)], new double[w.GetLength(0), w.GetLength(1)]);
        foreach (var (k, b) in biases) _biasState[k] = (new double[b.Length], new double[b.Length]);
    }

    public Dictionary<(string, string), double[,]> Weights { get; }

    public Dictionary<string, double[]> Biases { get; }

    /// <summary>Mean data loss per example of every step (the training forward pass: masks and denoising applied).</summary>
    public List<double> Losses { get; } = new();

    /// <summary>How many times max-norm rescaled a column (the test requires it to have acted).</summary>
    public int ClippedColumns { get; private set; }

    /// <summary>Non-zeros denoising dropped, and non-zeros seen (the test requires both to be positive).</summary>
    public long DenoisedDropped { get; private set; }

    public long DenoisedSeen { get; private set; }

    public void Train(int epochs)
    {
        var rows = _data.Values.First().GetLength(0);
        for (var e = 0; e < epochs; e++)
            for (var first = 0; first < rows; first += _s.Batch) Step(e, first, Math.Min(_s.Batch, rows - first));
    }

    private void Step(int epoch, int first, int size)
    {
        var inputs = new Dictionary<string, double[,]>();
        var corrupted = new Dictionary<string, double[,]>();
        foreach (var l in _spec.Layers.Where(l => l.Kind == LayerKind.Input))
        {
            var all = _data[l.Name];
            var x = new double[size, l.Width];
            for (var b = 0; b < size; b++)
                for (var j = 0; j < l.Width; j++) x[b, j] = all[first + b, j];
            inputs[l.Name] = x;
            if (!l.Sparse || _s.Denoising <= 0) continue;
            var d = new double[size, l.Width];
            for (var b = 0; b < size; b++)
                for (var j = 0; j < l.Width; j++)
                {
                    if (x[b, j] == 0) continue;
                    var m = ReferenceRng.Denoise(_s.Seed, epoch, l.Width, first + b, j, _s.Denoising);
                    DenoisedSeen++;
                    if (m == 0) DenoisedDropped++;
                    d[b, j] = x[b, j] * m;
                }
            corrupted[l.Name] = d;
        }
        var step = _step;
        SyncTies();
        var reference = new ReferenceNetwork(_spec, Weights, Biases)
        {
            Mask = (layer, row, unit) => _s.Dropout.TryGetValue(layer, out var p)
                ? ReferenceRng.Dropout(_s.Seed, _spec.IndexOf(layer), step, _spec[layer].Width, row, unit, p)
                : 1,
            Corrupted = corrupted,
            SparsenessP = _s.SparsenessP,
            SparsenessBeta = _s.SparsenessBeta,
            PenaltyLayers = _s.SparsenessBeta > 0 ? _spec.Layers.Where(l => l.Kind == LayerKind.Hidden).Select(l => l.Name).ToHashSet() : new(),
        };
        Losses.Add(reference.DataLoss(inputs));
        reference.Gradients(inputs, out var dW, out var db);   // mean gradients (J averages over the batch)
        _step++;
        var t = _step;

        // A tie is one parameter W used as W and as Wᵀ: ∂J/∂W = the owner's gradient + the tied use's, transposed.
        foreach (var (tied, owner) in _s.Ties)
        {
            var gt = dW[tied];
            var go = dW[owner];
            for (var i = 0; i < go.GetLength(0); i++)
                for (var j = 0; j < go.GetLength(1); j++) go[i, j] += gt[j, i];
            dW.Remove(tied);
        }
        foreach (var (key, g) in dW)
        {
            var w = Weights[key];
            var owner = _s.Ties.ContainsValue(key);
            var (s1, s2) = _weightState[key];
            var source = _spec[key.Item2];
            var fed = corrupted.TryGetValue(key.Item2, out var c) ? c : inputs.GetValueOrDefault(key.Item2);
            for (var i = 0; i < w.GetLength(0); i++)
            {
                // The sparse input's rows: only those whose feature occurs in the batch (lazy update, docs/semantics.md).
                // A tied owner's rows all get the tied use's gradient: a dense update (docs/semantics.md, Tied weights).
                if (!owner && source.Kind == LayerKind.Input && source.Sparse && !Enumerable.Range(0, size).Any(b => fed![b, i] != 0)) continue;
                for (var j = 0; j < w.GetLength(1); j++)
                {
                    var gd = g[i, j] + (_s.WeightDecay * w[i, j]) + (_s.L1Decay * Math.Sign(w[i, j]));
                    (w[i, j], s1[i, j], s2[i, j]) = Update(w[i, j], gd, s1[i, j], s2[i, j], t);
                }
            }
        }
        foreach (var (layer, g) in db)
        {
            var b = Biases[layer];
            var (s1, s2) = _biasState[layer];
            for (var j = 0; j < b.Length; j++) (b[j], s1[j], s2[j]) = Update(b[j], g[j], s1[j], s2[j], t);
        }
        foreach (var l in _spec.Layers)
        {
            if (!_s.MaxNorm.TryGetValue(l.Name, out var limit)) continue;
            foreach (var source in l.Sources)
            {
                var w = Weights[(l.Name, source)];
                for (var j = 0; j < w.GetLength(1); j++)
                {
                    double sq = 0;
                    for (var i = 0; i < w.GetLength(0); i++) sq += w[i, j] * w[i, j];
                    var norm = Math.Sqrt(sq);
                    if (norm <= limit) continue;
                    ClippedColumns++;
                    for (var i = 0; i < w.GetLength(0); i++) w[i, j] *= limit / norm;
                }
            }
        }
        SyncTies();
    }

    /// <summary>Each tied use's matrix := its owner's, transposed (the owner is the one parameter that is updated).</summary>
    private void SyncTies()
    {
        foreach (var (tied, owner) in _s.Ties)
        {
            var o = Weights[owner];
            var t = Weights[tied];
            for (var i = 0; i < o.GetLength(0); i++)
                for (var j = 0; j < o.GetLength(1); j++) t[j, i] = o[i, j];
        }
    }

    /// <summary>docs/semantics.md, "Optimizers", in float64; <paramref name="t"/> counts steps from 1.</summary>
    private (double W, double S1, double S2) Update(double w, double g, double s1, double s2, long t)
    {
        var eta = _s.LearningRate;
        var mu = _s.Momentum;
        var rho = _s.Decay;
        var eps = _s.Epsilon;
        switch (_s.Optimizer)
        {
            case OptimizerKind.Sgd when !_s.MomentumForm:
                return (w - (eta * g), s1, s2);
            case OptimizerKind.Sgd:
            case OptimizerKind.Momentum:
            {
                var v = (mu * s1) - (eta * g);
                return (w + v, v, s2);
            }
            case OptimizerKind.Nesterov:
            {
                var v = (mu * s1) - (eta * g);
                return (w + (-mu * s1) + ((1 + mu) * v), v, s2);
            }
            case OptimizerKind.AdaGrad:
            {
                var s = s1 + (g * g);
                return (w - (eta * g / (Math.Sqrt(s) + eps)), s, s2);
            }
            case OptimizerKind.RmsProp:
            {
                var s = (rho * s1) + ((1 - rho) * g * g);
                return (w - (eta * g / (Math.Sqrt(s) + eps)), s, s2);
            }
            case OptimizerKind.AdaDelta:
            {
                var s = (rho * s1) + ((1 - rho) * g * g);
                var delta = -Math.Sqrt(s2 + eps) / Math.Sqrt(s + eps) * g;
                var u = (rho * s2) + ((1 - rho) * delta * delta);
                return (w + (eta * delta), s, u);
            }
            case OptimizerKind.Adam:
            {
                var m = (_s.Beta1 * s1) + ((1 - _s.Beta1) * g);
                var v = (_s.Beta2 * s2) + ((1 - _s.Beta2) * g * g);
                var mHat = m / (1 - Math.Pow(_s.Beta1, t));
                var vHat = v / (1 - Math.Pow(_s.Beta2, t));
                return (w - (eta * mHat / (Math.Sqrt(vHat) + eps)), m, v);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(_s.Optimizer));
        }
    }
}
