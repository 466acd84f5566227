using DestinyDsl.Language.Model;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>
/// Builds <see cref="NetworkModel"/> values by hand, as the binder would, so the emitter can be tested
/// independently of the parser. Defaults follow docs/semantics.md.
/// </summary>
internal sealed class ModelBuilder
{
    private readonly string _name;
    private readonly string? _namespace;
    private readonly List<LayerModel> _layers = new();
    private readonly List<SearchParameter> _search = new();
    private LossModel _loss = new(LossKind.ScaledMarginalCrossEntropy, Tunable.Fixed(0.9), Tunable.Fixed(0.1), Tunable.Fixed(1), Tunable.Fixed(1));
    private OptimizerModel _optimizer = Optimizer(OptimizerKind.Sgd);
    private TrainingModel _training = new(Tunable.Fixed(256), Tunable.Fixed(10), Tunable.Fixed(0), true, 12134, null);
    private int _line;

    public ModelBuilder(string name, string? ns = null, int line = 0)
    {
        _name = name;
        _namespace = ns;
        _line = line;
    }

    public static OptimizerModel Optimizer(OptimizerKind kind, double? learningRate = null, Tunable? momentum = null, double decay = 0.9,
        double beta1 = 0.9, double beta2 = 0.999, double? epsilon = null, double weightDecay = 0, double l1Decay = 0)
    {
        var defaultRate = kind switch { OptimizerKind.RmsProp or OptimizerKind.Adam => 0.001, OptimizerKind.AdaDelta => 1, _ => 0.01 };
        var defaultMomentum = kind is OptimizerKind.Momentum or OptimizerKind.Nesterov ? 0.9 : 0;
        var defaultEpsilon = kind == OptimizerKind.AdaDelta ? 1e-6 : 1e-8;
        return new OptimizerModel(kind, Tunable.Fixed(learningRate ?? defaultRate), momentum ?? Tunable.Fixed(defaultMomentum),
            Tunable.Fixed(kind == OptimizerKind.AdaDelta && decay == 0.9 ? 0.95 : decay), Tunable.Fixed(beta1), Tunable.Fixed(beta2),
            Tunable.Fixed(epsilon ?? defaultEpsilon), Tunable.Fixed(weightDecay), Tunable.Fixed(l1Decay),
            HasMomentum: kind is OptimizerKind.Momentum or OptimizerKind.Nesterov || momentum is not null);
    }

    public ModelBuilder Input(string name, bool sparse, int? width = null, double dropout = 0)
    {
        var w = width is null ? WidthModel.Auto : new WidthModel(false, Tunable.Fixed(width.Value));
        _layers.Add(new LayerModel(name, LayerKind.Input, w, sparse, ActivationModel.Default, EquatableArray<string>.Empty, null,
            Tunable.Fixed(dropout), InitModel.Default, 0, 0, NextLine()));
        return this;
    }

    public ModelBuilder Hidden(string name, Tunable units, ActivationModel activation, string[]? sources = null, Tunable? dropout = null,
        InitModel? init = null, double bias = 0, double maxNorm = 0)
    {
        _layers.Add(new LayerModel(name, LayerKind.Hidden, new WidthModel(false, units), false, activation,
            (sources ?? new[] { _layers[_layers.Count - 1].Name }).ToEquatableArray(), null, dropout ?? Tunable.Fixed(0),
            init ?? InitModel.Default, bias, maxNorm, NextLine()));
        return this;
    }

    public ModelBuilder Hidden(string name, int units, ActivationKind activation = ActivationKind.Sigmoid) =>
        Hidden(name, Tunable.Fixed(units), new ActivationModel(activation));

    public ModelBuilder Output(string name, bool sparse, ActivationModel activation, string target, int? width = null, string[]? sources = null)
    {
        var w = width is null ? WidthModel.Auto : new WidthModel(false, Tunable.Fixed(width.Value));
        _layers.Add(new LayerModel(name, LayerKind.Output, w, sparse, activation,
            (sources ?? new[] { _layers[_layers.Count - 1].Name }).ToEquatableArray(), target, Tunable.Fixed(0), InitModel.Default, 0, 0, NextLine()));
        return this;
    }

    public ModelBuilder Loss(LossKind kind, double oneTarget = 0.9, double zeroTarget = 0.1, double oneScale = 1, double zeroScale = 1)
    {
        _loss = new LossModel(kind, Tunable.Fixed(oneTarget), Tunable.Fixed(zeroTarget), Tunable.Fixed(oneScale), Tunable.Fixed(zeroScale));
        return this;
    }

    public ModelBuilder WithOptimizer(OptimizerModel optimizer)
    {
        _optimizer = optimizer;
        return this;
    }

    public ModelBuilder Train(int batch = 256, int epochs = 10, double denoising = 0, bool shuffle = true, long seed = 12134, (double P, double Beta)? sparseness = null,
        Tunable? batchTunable = null)
    {
        _training = new TrainingModel(batchTunable ?? Tunable.Fixed(batch), Tunable.Fixed(epochs), Tunable.Fixed(denoising), shuffle, seed,
            sparseness is { } s ? new SparsenessPenaltyModel(Tunable.Fixed(s.P), Tunable.Fixed(s.Beta)) : null);
        return this;
    }

    /// <summary>Adds a search dimension (the binder lists every tune/choice this way).</summary>
    public ModelBuilder Search(string path, double value, SearchRange range)
    {
        _search.Add(new SearchParameter(path, value, range));
        return this;
    }

    public NetworkModel Build(string filePath, string hash = "0123456789abcdef") =>
        new(_name, _namespace, _layers.ToEquatableArray(), _loss, _optimizer, _training, _search.ToEquatableArray(), hash, filePath, _line);

    // Layers start two lines below the `network` line (the brace sits between).
    private int NextLine() => _layers.Count == 0 ? _line += 2 : ++_line;

    public static Tunable Tuned(double value, double low, double high, bool log = false, bool integer = false) =>
        new(value, new ContinuousRange(low, high, log, integer));
}
