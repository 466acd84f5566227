using DestinyDsl.Language.Model;
using static DestinyDsl.SourceGenerator.Tests.Infrastructure.ModelBuilder;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>Hand-built models of the golden cases (what the binder produces for Inputs/*.dnet and the examples).</summary>
internal static class TestModels
{
    public const string MovieLensPath = "/src/MovieLens.dnet";
    public const string DeepPath = "/src/DeepAutoencoder.dnet";
    public const string CoveragePath = "/src/Coverage.dnet";

    /// <summary>examples/MovieLens/MovieLens.dnet.</summary>
    public static NetworkModel MovieLens() =>
        new ModelBuilder("MovieLensAutoencoder", "Samples.MovieLens", line: 3)
            .Input("items", sparse: true)
            .Hidden("h1", 128)
            .Output("scores", sparse: true, new ActivationModel(ActivationKind.Sigmoid), target: "items")
            .Loss(LossKind.ScaledMarginalCrossEntropy, oneTarget: 1, zeroTarget: 0, oneScale: 1, zeroScale: 1)
            .WithOptimizer(Optimizer(OptimizerKind.Sgd, learningRate: 0.025, momentum: Tunable.Fixed(0.9)))
            .Train(batch: 256, epochs: 10, denoising: 0.2, sparseness: (0.5, 2))
            .Build(MovieLensPath);

    /// <summary>LANGUAGE.md's DSSTNE benchmark network with a search space (no namespace line: RootNamespace applies).</summary>
    public static NetworkModel DeepAutoencoder(string? rootNamespace = "LanguageExamples") =>
        new ModelBuilder("DeepAutoencoder", rootNamespace, line: 0)
            .Input("items", sparse: true)
            .Hidden("h1", Tunable.Fixed(1024), new ActivationModel(ActivationKind.Sigmoid), dropout: Tunable.Fixed(0.1), init: new InitModel(InitScheme.Xavier))
            .Hidden("h2", Tuned(1024, 256, 4096, log: true, integer: true), new ActivationModel(ActivationKind.Sigmoid))
            .Hidden("h3", Tunable.Fixed(1024), new ActivationModel(ActivationKind.Sigmoid), sources: new[] { "h2", "h1" })
            .Output("scores", sparse: true, new ActivationModel(ActivationKind.Sigmoid), target: "items", sources: new[] { "h3" })
            .Loss(LossKind.ScaledMarginalCrossEntropy)
            .WithOptimizer(Optimizer(OptimizerKind.RmsProp, learningRate: 0.01, decay: 0.9) with { LearningRate = Tuned(0.01, 1e-4, 1e-1, log: true) })
            .Train(batch: 256, epochs: 20)
            .Search("h2.width", 1024, new ContinuousRange(256, 4096, true, true))
            .Search("optimizer.learning_rate", 0.01, new ContinuousRange(1e-4, 1e-1, true, false))
            .Build(DeepPath);

    /// <summary>Every activation (hidden chain), every init scheme, dense input with dropout, l2 + adam.</summary>
    public static NetworkModel Activations() =>
        new ModelBuilder("Activations", "Coverage", line: 2)
            .Input("features", sparse: false, width: 64, dropout: 0.2)
            .Hidden("t", Tunable.Fixed(32), new ActivationModel(ActivationKind.Tanh), init: new InitModel(InitScheme.Gaussian, 0.01))
            .Hidden("r", Tunable.Fixed(32), new ActivationModel(ActivationKind.Relu), init: new InitModel(InitScheme.Uniform, 0.1), bias: 0.1)
            .Hidden("lr", Tunable.Fixed(32), new ActivationModel(ActivationKind.LeakyRelu, Slope: 0.2), init: new InitModel(InitScheme.UnitBall), maxNorm: 3)
            .Hidden("e", Tunable.Fixed(32), new ActivationModel(ActivationKind.Elu, Alpha: 0.5), init: new InitModel(InitScheme.LeCun))
            .Hidden("s", Tunable.Fixed(32), new ActivationModel(ActivationKind.Selu, Alpha: 1.6732632423543772), init: new InitModel(InitScheme.LeCun))
            .Hidden("sp", Tunable.Fixed(32), new ActivationModel(ActivationKind.Softplus), init: new InitModel(InitScheme.CaffeXavier))
            .Hidden("ss", Tunable.Fixed(32), new ActivationModel(ActivationKind.Softsign), init: new InitModel(InitScheme.Constant, 0.5))
            .Hidden("lin", Tunable.Fixed(32), new ActivationModel(ActivationKind.Linear), dropout: Tunable.Fixed(0.5))
            .Hidden("sm", Tunable.Fixed(32), new ActivationModel(ActivationKind.Softmax))
            .Output("reconstruction", sparse: false, new ActivationModel(ActivationKind.Linear), target: "features", width: 64)
            .Loss(LossKind.L2)
            .WithOptimizer(Optimizer(OptimizerKind.Adam, learningRate: 0.001, weightDecay: 1e-5))
            .Train(batch: 32, epochs: 5, shuffle: false, seed: 7)
            .Build(CoveragePath);

    /// <summary>One network per loss, each with a different output activation and optimizer.</summary>
    public static IEnumerable<NetworkModel> LossesAndOptimizers()
    {
        yield return Pair("SigmoidCrossEntropy", 20, ActivationKind.Sigmoid, LossKind.CrossEntropy, Optimizer(OptimizerKind.Sgd, learningRate: 0.1));
        yield return Pair("SoftmaxCrossEntropy", 28, ActivationKind.Softmax, LossKind.CrossEntropy, Optimizer(OptimizerKind.Momentum, learningRate: 0.05, momentum: Tunable.Fixed(0.8)));
        yield return Pair("SoftmaxMarginal", 36, ActivationKind.Softmax, LossKind.ScaledMarginalCrossEntropy, Optimizer(OptimizerKind.Nesterov));
        yield return Pair("DataScaled", 44, ActivationKind.Sigmoid, LossKind.DataScaledMarginalCrossEntropy, Optimizer(OptimizerKind.AdaGrad, epsilon: 1e-6));
        yield return Pair("TanhL1", 52, ActivationKind.Tanh, LossKind.L1, Optimizer(OptimizerKind.RmsProp, decay: 0.95, l1Decay: 1e-4));
        yield return Pair("LinearHinge", 60, ActivationKind.Linear, LossKind.Hinge, Optimizer(OptimizerKind.AdaDelta));
        yield return Pair("SoftsignCrossEntropy", 68, ActivationKind.Softsign, LossKind.CrossEntropy, Optimizer(OptimizerKind.Adam, beta1: 0.8, beta2: 0.99));
        yield return new ModelBuilder("ReluL2Hinge", "Coverage", line: 76)
            .Input("items", sparse: true)
            .Hidden("h", 16, ActivationKind.Relu)
            .Output("scores", sparse: true, new ActivationModel(ActivationKind.Relu), target: "items")
            .Loss(LossKind.L2Hinge)
            .WithOptimizer(Optimizer(OptimizerKind.Sgd, learningRate: 0.01, momentum: new Tunable(0.5, new ChoiceRange(EquatableArray.Create(0.5, 0.9, 0.99))), weightDecay: 1e-4))
            .Train(batchTunable: new Tunable(128, new ChoiceRange(EquatableArray.Create(64.0, 128.0, 256.0))), sparseness: (0.05, 0.5))
            .Search("optimizer.momentum", 0.5, new ChoiceRange(EquatableArray.Create(0.5, 0.9, 0.99)))
            .Search("train.batch", 128, new ChoiceRange(EquatableArray.Create(64.0, 128.0, 256.0)))
            .Build(CoveragePath);
    }

    /// <summary>Two inputs (sparse and dense), summed into one hidden layer, two outputs.</summary>
    public static NetworkModel TwoTowers() =>
        new ModelBuilder("TwoTowers", "Coverage", line: 86)
            .Input("users", sparse: true)
            .Input("context", sparse: false, width: 8)
            .Hidden("joint", Tunable.Fixed(16), new ActivationModel(ActivationKind.Relu), sources: new[] { "users", "context" })
            .Output("user_scores", sparse: true, new ActivationModel(ActivationKind.Sigmoid), target: "users", sources: new[] { "joint" })
            .Output("context_echo", sparse: false, new ActivationModel(ActivationKind.Linear), target: "context", width: 8, sources: new[] { "joint" })
            .Loss(LossKind.L2)
            .WithOptimizer(Optimizer(OptimizerKind.Sgd, learningRate: 0.01))
            .Train(batch: 64, epochs: 3)
            .Build(CoveragePath);

    /// <summary>Every network of Inputs/Coverage.dnet.</summary>
    public static IEnumerable<NetworkModel> Coverage() => new[] { Activations() }.Concat(LossesAndOptimizers()).Append(TwoTowers());

    private static NetworkModel Pair(string name, int line, ActivationKind output, LossKind loss, OptimizerModel optimizer) =>
        new ModelBuilder(name, "Coverage", line)
            .Input("items", sparse: true)
            .Hidden("h", 16, ActivationKind.Relu)
            .Output("scores", sparse: true, new ActivationModel(output), target: "items")
            .Loss(loss)
            .WithOptimizer(optimizer)
            .Train(batch: 128, epochs: 2)
            .Build(CoveragePath);
}
