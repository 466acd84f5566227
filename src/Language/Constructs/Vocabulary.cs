using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Constructs;

/// <summary>
/// Every name the language knows besides its reserved words: activations, layer modifiers, initialisers, losses,
/// optimizers, train settings, tune flags, with their parameters and defaults (docs/semantics.md), and the DSSTNE
/// features that are reserved but not supported yet.
/// </summary>
internal static class Vocabulary
{
    private const string ActivationConstant = "activation parameters are compile-time constants of the generated kernels";
    private const string LayerConstant = "it is a constant of the layer, fixed when the model is built";

    // ---- activations ----------------------------------------------------------------------------------------

    public static IReadOnlyList<ConstructInfo> Activations { get; } = new[]
    {
        Activation("sigmoid", ActivationKind.Sigmoid),
        Activation("tanh", ActivationKind.Tanh),
        Activation("relu", ActivationKind.Relu),
        Activation("leaky_relu", ActivationKind.LeakyRelu, ParameterInfo.Constant("slope", 0.01, ValueRule.Any, ActivationConstant)),
        Activation("elu", ActivationKind.Elu, ParameterInfo.Constant("alpha", 1.0, ValueRule.Positive, ActivationConstant)),
        Activation("selu", ActivationKind.Selu),
        Activation("softplus", ActivationKind.Softplus),
        Activation("softsign", ActivationKind.Softsign),
        Activation("softmax", ActivationKind.Softmax),
        Activation("linear", ActivationKind.Linear),
    };

    /// <summary>SELU's fixed constants (Klambauer et al.), carried into <see cref="ActivationModel"/>.</summary>
    public const double SeluAlpha = 1.6732632423543772;

    /// <summary>SELU's λ.</summary>
    public const double SeluLambda = 1.0507009873554805;

    // ---- layer modifiers ------------------------------------------------------------------------------------

    public static ConstructInfo Dropout { get; } = new("dropout", "layer modifier",
        new[] { ParameterInfo.RequiredTunable("p", ValueRule.Probability) });

    public static ConstructInfo Init { get; } = new("init", "layer modifier",
        new[] { new ParameterInfo("scheme", ParameterType.InitScheme, double.NaN, true, ValueRule.Any, false, LayerConstant) });

    public static ConstructInfo Bias { get; } = new("bias", "layer modifier",
        new[] { ParameterInfo.RequiredConstant("value", ValueRule.Any, LayerConstant) });

    public static ConstructInfo MaxNorm { get; } = new("max_norm", "layer modifier",
        new[] { ParameterInfo.RequiredConstant("value", ValueRule.Positive, LayerConstant) });

    /// <summary>
    /// Batch normalisation between a hidden layer's affine sum and its activation (PyTorch's <c>BatchNorm1d</c>, with
    /// its defaults; docs/semantics.md). Momentum 1 keeps only the last batch's statistics; 0 would never update them.
    /// </summary>
    public static ConstructInfo BatchNorm { get; } = new("batch_norm", "layer modifier", new[]
    {
        ParameterInfo.Constant("momentum", 0.1, ValueRule.Factor, BatchNormConstant),
        ParameterInfo.Constant("epsilon", 1e-5, ValueRule.Positive, BatchNormConstant),
    });

    private const string BatchNormConstant = "batch-norm settings are constants of the layer, fixed when the model is built";

    public static IReadOnlyList<ConstructInfo> Modifiers { get; } = new[] { Dropout, Init, Bias, MaxNorm, BatchNorm };

    // ---- initialisers ---------------------------------------------------------------------------------------

    public static IReadOnlyList<ConstructInfo> InitSchemes { get; } = new[]
    {
        Scheme("xavier", InitScheme.Xavier, ParameterInfo.Constant("scale", 1, ValueRule.Positive, LayerConstant)),
        Scheme("caffe_xavier", InitScheme.CaffeXavier, ParameterInfo.Constant("scale", 1, ValueRule.Positive, LayerConstant)),
        Scheme("gaussian", InitScheme.Gaussian, ParameterInfo.RequiredConstant("std", ValueRule.Positive, LayerConstant)),
        Scheme("uniform", InitScheme.Uniform, ParameterInfo.RequiredConstant("scale", ValueRule.Positive, LayerConstant)),
        Scheme("unit_ball", InitScheme.UnitBall, ParameterInfo.Constant("scale", 1, ValueRule.Positive, LayerConstant)),
        Scheme("lecun", InitScheme.LeCun, ParameterInfo.Constant("scale", 1, ValueRule.Positive, LayerConstant)),
        Scheme("constant", InitScheme.Constant, ParameterInfo.RequiredConstant("value", ValueRule.Any, LayerConstant)),
    };

    // ---- losses ---------------------------------------------------------------------------------------------

    private static readonly ParameterInfo[] MarginalParameters =
    {
        ParameterInfo.Tunable("one_target", 0.9, ValueRule.ClosedProbability),
        ParameterInfo.Tunable("zero_target", 0.1, ValueRule.ClosedProbability),
        ParameterInfo.Tunable("one_scale", 1, ValueRule.NonNegative),
        ParameterInfo.Tunable("zero_scale", 1, ValueRule.NonNegative),
    };

    public static IReadOnlyList<ConstructInfo> Losses { get; } = new[]
    {
        Loss("l1", LossKind.L1),
        Loss("l2", LossKind.L2),
        Loss("cross_entropy", LossKind.CrossEntropy),
        Loss("scaled_marginal_cross_entropy", LossKind.ScaledMarginalCrossEntropy, MarginalParameters),
        Loss("data_scaled_marginal_cross_entropy", LossKind.DataScaledMarginalCrossEntropy, MarginalParameters),
        Loss("hinge", LossKind.Hinge),
        Loss("l2_hinge", LossKind.L2Hinge),
    };

    /// <summary>The loss when a network has no <c>loss</c> statement (DSSTNE's default).</summary>
    public static ConstructInfo DefaultLoss => Losses[2];

    // ---- optimizers -----------------------------------------------------------------------------------------

    public static IReadOnlyList<ConstructInfo> Optimizers { get; } = new[]
    {
        Optimizer("sgd", OptimizerKind.Sgd, LearningRate(0.01), Momentum(0)),
        Optimizer("momentum", OptimizerKind.Momentum, LearningRate(0.01), Momentum(0.9)),
        Optimizer("nesterov", OptimizerKind.Nesterov, LearningRate(0.01), Momentum(0.9)),
        Optimizer("adagrad", OptimizerKind.AdaGrad, LearningRate(0.01), Epsilon(1e-8)),
        Optimizer("rmsprop", OptimizerKind.RmsProp, LearningRate(0.001), Decay(0.9), Epsilon(1e-8)),
        Optimizer("adadelta", OptimizerKind.AdaDelta, LearningRate(1), Decay(0.95), Epsilon(1e-6)),
        Optimizer("adam", OptimizerKind.Adam, LearningRate(0.001),
            ParameterInfo.Tunable("beta1", 0.9, ValueRule.Probability), ParameterInfo.Tunable("beta2", 0.999, ValueRule.Probability), Epsilon(1e-8)),
    };

    /// <summary>The optimizer when a network has no <c>optimizer</c> statement.</summary>
    public static ConstructInfo DefaultOptimizer => Optimizers[0];

    // ---- learning-rate schedules (the optimizer's schedule argument) ----------------------------------------

    /// <summary>
    /// The schedules, each with its own arguments followed by the linear warm-up every schedule takes. Formulas and
    /// their PyTorch equivalents: docs/semantics.md. cosine's <c>epochs</c> has no default value (NaN): without it
    /// the period is the training's epochs.
    /// </summary>
    public static IReadOnlyList<ConstructInfo> Schedules { get; } = new[]
    {
        Schedule("constant", ScheduleKind.Constant),
        Schedule("step", ScheduleKind.Step,
            new ParameterInfo("every", ParameterType.Number, double.NaN, true, ValueRule.Count, true, null),
            ParameterInfo.Tunable("factor", 0.1, ValueRule.Factor)),
        Schedule("exponential", ScheduleKind.Exponential, ParameterInfo.RequiredTunable("factor", ValueRule.Factor)),
        Schedule("inverse_time", ScheduleKind.InverseTime, ParameterInfo.RequiredTunable("decay", ValueRule.Positive)),
        Schedule("cosine", ScheduleKind.Cosine,
            ParameterInfo.Tunable("epochs", double.NaN, ValueRule.Count, integer: true),
            ParameterInfo.Tunable("min_factor", 0, ValueRule.Probability)),
    };

    /// <summary>How messages list the schedules.</summary>
    public const string ScheduleList = "constant, step(every, factor), exponential(factor), inverse_time(decay) or cosine(epochs, min_factor)";

    // ---- train settings -------------------------------------------------------------------------------------

    public static ConstructInfo SparsenessPenalty { get; } = new("sparseness_penalty", "train setting", new[]
    {
        ParameterInfo.RequiredTunable("p", ValueRule.SparsenessTarget),
        ParameterInfo.RequiredTunable("beta", ValueRule.Positive),
    });

    /// <summary>The train settings; written <c>name = value</c> (and <c>sparseness_penalty(p, beta)</c>).</summary>
    public static ConstructInfo Train { get; } = new("train", "train setting", new[]
    {
        ParameterInfo.Tunable("batch", 256, ValueRule.Count, integer: true),
        ParameterInfo.Tunable("epochs", 10, ValueRule.Count, integer: true),
        ParameterInfo.Tunable("denoising", 0, ValueRule.Probability),
        new ParameterInfo("shuffle", ParameterType.Bool, 1, false, ValueRule.Any, false, "it is a switch, not a number"),
        new ParameterInfo("seed", ParameterType.Number, DefaultSeed, false, ValueRule.NonNegativeInteger, true, "the seed identifies a run; tuning it would tune noise"),
        new ParameterInfo("sparseness_penalty", ParameterType.SparsenessPenalty, double.NaN, false, ValueRule.Any, false, null),
    });

    /// <summary>DSSTNE's fixed seed.</summary>
    public const long DefaultSeed = 12134;

    /// <summary>The flags of <c>tune(...)</c>.</summary>
    public static IReadOnlyList<string> TuneFlags { get; } = new[] { "log", "int" };

    // ---- reserved, not supported yet (DSSTNE parity items) --------------------------------------------------

    private const string ExampleWeightsAreData =
        "per-example weights are data, not network syntax: give one weight per row with NetworkData.WithExampleWeights(float[]) (docs/data.md)";

    private const string ValuesAndWeightsAreData =
        "sparse data carries its values without a declaration (load them with DsstneTextOptions.KeepValues or MovieLensOptions.KeepRatings), "
        + "and per-example weights are data too: NetworkData.WithExampleWeights(float[]) (docs/data.md)";

    /// <summary>The layer clause <c>tied(a -&gt; b)</c>: the edge b → this layer uses the transpose of edge a → b's weights.</summary>
    public const string TiedClause = "tied";

    private const string WriteTied = "tied weights are a clause of the layer that reuses them: write 'tied(a -> b)' on it (its edge from b uses the transpose of edge a -> b's weights)";

    /// <summary>Layer clauses DSSTNE users expect that are rejected with DNET0140 instead of being ignored.</summary>
    public static IReadOnlyDictionary<string, string> UnsupportedLayerClauses { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["batch_normalization"] = "write batch_norm (or batch_norm(momentum = 0.1, epsilon = 1e-5)): it is the same normalisation",
        ["shared_weights"] = WriteTied,
        ["delta_norm"] = "per-layer delta norm clipping is planned",
        ["weight_norm"] = "write max_norm(value): it is what DSSTNE's WeightNorm does",
        ["delta_boost"] = "scaling output deltas of ones and zeros is planned",
        ["skip"] = "list the extra layer among the sources instead: '<- a, b' sums them",
        ["relu_max"] = "DSSTNE parsed ReluMax but computed it as linear",
        ["linear_max"] = "DSSTNE parsed LinearMax but computed it as linear",
        ["maxout"] = "pooling layers are not part of the language",
        ["convolution"] = "convolutional layers are not part of the language",
        ["pooling"] = "pooling layers are not part of the language",
        ["weighted"] = ValuesAndWeightsAreData,
        ["analog"] = ValuesAndWeightsAreData,
    };

    /// <summary>Train settings DSSTNE users expect that are rejected with DNET0140.</summary>
    public static IReadOnlyDictionary<string, string> UnsupportedTrainSettings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["delta_boost"] = "scaling output deltas of ones and zeros is planned",
        ["learning_rate_decay"] = ScheduleIsOptimizerArgument,
        ["lr_decay"] = ScheduleIsOptimizerArgument,
        ["schedule"] = ScheduleIsOptimizerArgument,
        ["lr_schedule"] = ScheduleIsOptimizerArgument,
        ["step_decay"] = ScheduleIsOptimizerArgument,
        ["example_weights"] = ExampleWeightsAreData,
        ["weights"] = ExampleWeightsAreData,
    };

    /// <summary>Statements DSSTNE users expect that are rejected with DNET0140 (where a statement keyword belongs).</summary>
    public static IReadOnlyDictionary<string, string> UnsupportedStatements { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["schedule"] = ScheduleIsOptimizerArgument,
        ["lr_schedule"] = ScheduleIsOptimizerArgument,
        ["delta_boost"] = "scaling output deltas of ones and zeros is planned",
        ["tied"] = WriteTied,
        ["shared_weights"] = WriteTied,
        ["weights"] = "per-example weights are planned",
        ["pooling"] = "pooling layers are not part of the language",
        ["convolution"] = "convolutional layers are not part of the language",
    };

    /// <summary>Optimizer arguments DSSTNE users expect that are rejected with DNET0140.</summary>
    /// <remarks>Not "unsupported" any more: these are the names DSSTNE and other libraries use, pointed at <c>schedule</c>.</remarks>
    public static IReadOnlyDictionary<string, string> UnsupportedOptimizerArguments { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["learning_rate_decay"] = "write schedule = inverse_time(decay) (DSSTNE's Decay) or schedule = exponential(factor)",
        ["lr_decay"] = "write schedule = inverse_time(decay) (DSSTNE's Decay) or schedule = exponential(factor)",
        ["lr_schedule"] = "write schedule = …: " + ScheduleList,
        ["step_decay"] = "write schedule = step(every, factor)",
    };

    private const string ScheduleIsOptimizerArgument = "a learning-rate schedule is an argument of the optimizer: write 'optimizer …(schedule = step(every = …, factor = …))'";

    /// <summary>Initialisers DSSTNE users expect that are rejected with DNET0140.</summary>
    public static IReadOnlyDictionary<string, string> UnsupportedInitSchemes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["selu"] = "write init(lecun): DSSTNE's SELU initialisation, with its standard deviation corrected",
    };

    /// <summary>Names people bring from other libraries, mapped to ours for "did you mean" (edit distance cannot find them).</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["lr"] = "learning_rate",
        ["alpha"] = "learning_rate",
        ["eta"] = "learning_rate",
        ["mu"] = "momentum",
        ["rho"] = "decay",
        ["eps"] = "epsilon",
        ["l2"] = "weight_decay",
        ["l2_decay"] = "weight_decay",
        ["lambda"] = "weight_decay",
        ["l1"] = "l1_decay",
        ["lambda1"] = "l1_decay",
        ["batch_size"] = "batch",
        ["mini_batch"] = "batch",
        ["minibatch"] = "batch",
        ["num_epochs"] = "epochs",
        ["random_seed"] = "seed",
        ["shuffle_indices"] = "shuffle",
        ["negative_slope"] = "slope",
    };

    /// <summary>The alias's meaning when it names one of <paramref name="parameters"/>, else null.</summary>
    public static string? AliasAmong(string name, IEnumerable<string> parameters) =>
        Aliases.TryGetValue(name, out var meant) && parameters.Contains(meant) ? meant : null;

    private static readonly HashSet<string> LayerClauseWords = new(
        Activations.Select(a => a.Name).Concat(Modifiers.Select(m => m.Name)).Concat(UnsupportedLayerClauses.Keys).Concat(new[] { TiedClause }), StringComparer.Ordinal);

    /// <summary>True for the words that may start a layer clause (activations, modifiers, reserved DSSTNE clauses).</summary>
    /// <remarks>The parser uses it to tell a clause on a continuation line from a misspelt statement keyword.</remarks>
    public static bool IsLayerClauseWord(string text) => LayerClauseWords.Contains(text);

    public static ConstructInfo? FindIn(IReadOnlyList<ConstructInfo> constructs, string name)
    {
        foreach (var c in constructs)
        {
            if (c.Name == name) return c;
        }
        return null;
    }

    private static ParameterInfo LearningRate(double d) => ParameterInfo.Tunable("learning_rate", d, ValueRule.LearningRate);

    private static ParameterInfo Momentum(double d) => ParameterInfo.Tunable("momentum", d, ValueRule.Probability);

    private static ParameterInfo Decay(double d) => ParameterInfo.Tunable("decay", d, ValueRule.Probability);

    private static ParameterInfo Epsilon(double d) => ParameterInfo.Tunable("epsilon", d, ValueRule.Positive);

    private static ConstructInfo Activation(string name, ActivationKind kind, params ParameterInfo[] parameters) =>
        new(name, "activation", parameters, kind);

    private static ConstructInfo Scheme(string name, InitScheme scheme, params ParameterInfo[] parameters) =>
        new(name, "initialiser", parameters, scheme);

    private static ConstructInfo Loss(string name, LossKind kind, params ParameterInfo[] parameters) =>
        new(name, "loss", parameters, kind);

    private static ConstructInfo Optimizer(string name, OptimizerKind kind, params ParameterInfo[] parameters) =>
        new(name, "optimizer", parameters.Concat(new[]
        {
            ParameterInfo.Tunable("weight_decay", 0, ValueRule.NonNegative),
            ParameterInfo.Tunable("l1_decay", 0, ValueRule.NonNegative),
            new ParameterInfo("schedule", ParameterType.Schedule, double.NaN, false, ValueRule.Any, false, "tune the schedule's own numbers instead"),
        }).ToArray(), kind);

    private static ConstructInfo Schedule(string name, ScheduleKind kind, params ParameterInfo[] parameters) =>
        new(name, "schedule", parameters.Concat(new[]
        {
            ParameterInfo.Tunable("warmup", 0, ValueRule.EpochCount, integer: true),
            ParameterInfo.Tunable("warmup_start", 0.1, ValueRule.Factor),
        }).ToArray(), kind);
}
