namespace DestinyDsl.Language.Model;

/// <summary>The loss and its parameters (targets and scales apply to the marginal cross-entropies).</summary>
public sealed record LossModel(
    LossKind Kind,
    Tunable OneTarget,
    Tunable ZeroTarget,
    Tunable OneScale,
    Tunable ZeroScale);

/// <summary>The optimizer and every hyperparameter (each with its documented default when not written).</summary>
/// <remarks>Arguments the kind does not read hold 0. <see cref="HasMomentum"/> is true for <c>momentum</c> and
/// <c>nesterov</c>, and for <c>sgd</c> only when the file gives it a <c>momentum</c> argument (without one, sgd is the
/// stateless rule <c>w −= η g</c>). <see cref="Schedule"/> is null when the learning rate stays constant.</remarks>
public sealed record OptimizerModel(
    OptimizerKind Kind,
    Tunable LearningRate,
    Tunable Momentum,
    Tunable Decay,
    Tunable Beta1,
    Tunable Beta2,
    Tunable Epsilon,
    Tunable WeightDecay,
    Tunable L1Decay,
    bool HasMomentum = false,
    ScheduleModel? Schedule = null);

/// <summary>
/// A learning-rate schedule: the learning rate of epoch e (step t for <c>inverse_time</c>) is η·f(e), f as in
/// docs/semantics.md. Arguments the kind does not read hold 0. <see cref="Epochs"/> (cosine's period) is null when the
/// file does not write it: the period is then the training's epochs.
/// </summary>
public sealed record ScheduleModel(
    ScheduleKind Kind,
    Tunable Every,
    Tunable Factor,
    Tunable Decay,
    Tunable? Epochs,
    Tunable MinFactor,
    Tunable Warmup,
    Tunable WarmupStart);

/// <summary>KL sparseness penalty on hidden layers' mean activation (null in <see cref="TrainingModel"/> when off).</summary>
public sealed record SparsenessPenaltyModel(Tunable P, Tunable Beta);

/// <summary>The <c>train</c> settings.</summary>
public sealed record TrainingModel(
    Tunable Batch,
    Tunable Epochs,
    Tunable Denoising,
    bool Shuffle,
    long Seed,
    SparsenessPenaltyModel? SparsenessPenalty);

/// <summary>One searchable hyperparameter: a dotted path naming the setting (e.g. <c>h2.width</c>,
/// <c>optimizer.learning_rate</c>), its default and its range.</summary>
public sealed record SearchParameter(string Path, double Default, SearchRange Range);

/// <summary>
/// A bound, checked network: everything the generator needs to emit the model class.
/// </summary>
/// <remarks>Immutable with structural equality; holds no syntax, symbols or Roslyn types.
/// <see cref="Layers"/> are in dependency order: every layer comes after its sources (the declaration order whenever
/// the file's order already is one, since sources may name later layers).
/// <see cref="SourceHash"/> is a hash of the network's semantic content (not comments, spacing, argument order,
/// file path, namespace or lines), stored in checkpoints so a checkpoint can be matched to its network.
/// <see cref="Line"/> (and each layer's) is the zero-based line of the declaring keyword: the only position
/// information in the model, needed for <c>#line</c> directives. <see cref="Namespace"/> is the file's
/// <c>namespace</c>, else the default namespace given to the compiler, else null.</remarks>
public sealed record NetworkModel(
    string Name,
    string? Namespace,
    EquatableArray<LayerModel> Layers,
    LossModel Loss,
    OptimizerModel Optimizer,
    TrainingModel Training,
    EquatableArray<SearchParameter> SearchSpace,
    string SourceHash,
    string FilePath,
    int Line);
