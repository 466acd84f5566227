using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Tests;

/// <summary>Every construct of the language reaches the model with the defaults of docs/semantics.md.</summary>
public class ConstructModelTests
{
    private static NetworkModel WithHidden(string clauses) => Dnet.Network($$"""
        network N {
            input  items  : sparse auto
            hidden h1     : 16 {{clauses}}
            output scores : sparse auto sigmoid target items
        }
        """);

    private static LayerModel Hidden(string clauses) => WithHidden(clauses).Layers.Single(l => l.Name == "h1");

    [Theory]
    [InlineData("sigmoid", ActivationKind.Sigmoid, 0.01, 1.0)]
    [InlineData("", ActivationKind.Sigmoid, 0.01, 1.0)]
    [InlineData("tanh", ActivationKind.Tanh, 0.01, 1.0)]
    [InlineData("relu", ActivationKind.Relu, 0.01, 1.0)]
    [InlineData("leaky_relu", ActivationKind.LeakyRelu, 0.01, 1.0)]
    [InlineData("leaky_relu(0.2)", ActivationKind.LeakyRelu, 0.2, 1.0)]
    [InlineData("leaky_relu(slope = -0.5)", ActivationKind.LeakyRelu, -0.5, 1.0)]
    [InlineData("elu", ActivationKind.Elu, 0.01, 1.0)]
    [InlineData("elu(alpha = 0.5)", ActivationKind.Elu, 0.01, 0.5)]
    [InlineData("elu(2)", ActivationKind.Elu, 0.01, 2.0)]
    [InlineData("softplus", ActivationKind.Softplus, 0.01, 1.0)]
    [InlineData("softsign", ActivationKind.Softsign, 0.01, 1.0)]
    [InlineData("softmax", ActivationKind.Softmax, 0.01, 1.0)]
    [InlineData("linear", ActivationKind.Linear, 0.01, 1.0)]
    public void ActivationsAndTheirParameters(string clause, ActivationKind kind, double slope, double alpha)
    {
        Assert.Equal(new ActivationModel(kind, slope, alpha), Hidden(clause).Activation);
    }

    [Fact]
    public void SeluCarriesItsFixedConstants()
    {
        var activation = Hidden("selu").Activation;
        Assert.Equal(ActivationKind.Selu, activation.Kind);
        Assert.Equal(1.6732632423543772, activation.Alpha);
        Assert.Equal(1.0507009873554805, activation.Lambda);
    }

    [Theory]
    [InlineData("", InitScheme.Xavier, 1.0)]
    [InlineData("init(xavier)", InitScheme.Xavier, 1.0)]
    [InlineData("init(xavier(2))", InitScheme.Xavier, 2.0)]
    [InlineData("init(caffe_xavier)", InitScheme.CaffeXavier, 1.0)]
    [InlineData("init(caffe_xavier(scale = 0.5))", InitScheme.CaffeXavier, 0.5)]
    [InlineData("init(gaussian(0.01))", InitScheme.Gaussian, 0.01)]
    [InlineData("init(gaussian(std = 0.2))", InitScheme.Gaussian, 0.2)]
    [InlineData("init(uniform(0.05))", InitScheme.Uniform, 0.05)]
    [InlineData("init(unit_ball)", InitScheme.UnitBall, 1.0)]
    [InlineData("init(unit_ball(3))", InitScheme.UnitBall, 3.0)]
    [InlineData("init(lecun)", InitScheme.LeCun, 1.0)]
    [InlineData("init(constant(-0.5))", InitScheme.Constant, -0.5)]
    [InlineData("init(scheme = constant(value = 2))", InitScheme.Constant, 2.0)]
    public void InitialisersAndTheirScale(string clause, InitScheme scheme, double scale)
    {
        Assert.Equal(new InitModel(scheme, scale), Hidden(clause).Init);
    }

    [Fact]
    public void ModifiersDefaultToOff()
    {
        var h1 = Hidden("relu");
        Assert.Equal(Tunable.Fixed(0), h1.Dropout);
        Assert.Equal(0, h1.BiasInit);
        Assert.Equal(0, h1.MaxNorm);
        Assert.False(h1.Sparse);
    }

    [Fact]
    public void ModifiersInAnyOrderBindTheSameLayer()
    {
        var a = Hidden("relu dropout(0.25) bias(-1.5) max_norm(2.5) init(lecun)");
        var b = Hidden("init(lecun) max_norm(value = 2.5) bias(value = -1.5) dropout(p = 0.25) relu");
        Assert.Equal(a, b);
        Assert.Equal(-1.5, a.BiasInit);
        Assert.Equal(2.5, a.MaxNorm);
        Assert.Equal(0.25, a.Dropout.Value);
    }

    [Fact]
    public void DropoutOnADenseInputIsAllowed()
    {
        var network = Dnet.Network("network N {\n    input x : 32 dropout(0.2)\n    output o : 32 sigmoid target x\n}");
        Assert.Equal(0.2, network.Layers[0].Dropout.Value);
    }

    [Fact]
    public void WithoutLossOptimizerOrTrainTheDocumentedDefaultsApply()
    {
        var network = Dnet.Network(Dnet.Valid);
        Assert.Equal(new LossModel(LossKind.CrossEntropy, Tunable.Fixed(0.9), Tunable.Fixed(0.1), Tunable.Fixed(1), Tunable.Fixed(1)), network.Loss);
        Assert.Equal(new OptimizerModel(OptimizerKind.Sgd, Tunable.Fixed(0.01), Tunable.Fixed(0), Tunable.Fixed(0), Tunable.Fixed(0),
            Tunable.Fixed(0), Tunable.Fixed(0), Tunable.Fixed(0), Tunable.Fixed(0), HasMomentum: false), network.Optimizer);
        Assert.Equal(new TrainingModel(Tunable.Fixed(256), Tunable.Fixed(10), Tunable.Fixed(0), true, 12134, null), network.Training);
    }

    [Theory]
    [InlineData("l1", LossKind.L1)]
    [InlineData("l2", LossKind.L2)]
    [InlineData("cross_entropy", LossKind.CrossEntropy)]
    [InlineData("scaled_marginal_cross_entropy", LossKind.ScaledMarginalCrossEntropy)]
    [InlineData("data_scaled_marginal_cross_entropy", LossKind.DataScaledMarginalCrossEntropy)]
    [InlineData("hinge", LossKind.Hinge)]
    [InlineData("l2_hinge", LossKind.L2Hinge)]
    public void EveryLoss(string name, LossKind kind)
    {
        var network = Dnet.Compile(Dnet.With($"    loss {name}"));
        Dnet.AssertNoErrors(network);
        Assert.Equal(kind, network.Networks.Single().Loss.Kind);
    }

    [Fact]
    public void MarginalLossArgumentsPositionalOrNamed()
    {
        var positional = Dnet.Network(Dnet.With("    loss data_scaled_marginal_cross_entropy(0.8, 0.2, 2, 0.5)")).Loss;
        var named = Dnet.Network(Dnet.With("    loss data_scaled_marginal_cross_entropy(zero_scale = 0.5, one_scale = 2, zero_target = 0.2, one_target = 0.8)")).Loss;
        Assert.Equal(positional, named);
        Assert.Equal(new LossModel(LossKind.DataScaledMarginalCrossEntropy, Tunable.Fixed(0.8), Tunable.Fixed(0.2), Tunable.Fixed(2), Tunable.Fixed(0.5)), named);
    }

    public static IEnumerable<object[]> OptimizerDefaults => new[]
    {
        // kind, lr, momentum, decay, beta1, beta2, epsilon, has momentum state
        new object[] { "sgd", OptimizerKind.Sgd, 0.01, 0.0, 0.0, 0.0, 0.0, 0.0, false },
        new object[] { "momentum", OptimizerKind.Momentum, 0.01, 0.9, 0.0, 0.0, 0.0, 0.0, true },
        new object[] { "nesterov", OptimizerKind.Nesterov, 0.01, 0.9, 0.0, 0.0, 0.0, 0.0, true },
        new object[] { "adagrad", OptimizerKind.AdaGrad, 0.01, 0.0, 0.0, 0.0, 0.0, 1e-8, false },
        new object[] { "rmsprop", OptimizerKind.RmsProp, 0.001, 0.0, 0.9, 0.0, 0.0, 1e-8, false },
        new object[] { "adadelta", OptimizerKind.AdaDelta, 1.0, 0.0, 0.95, 0.0, 0.0, 1e-6, false },
        new object[] { "adam", OptimizerKind.Adam, 0.001, 0.0, 0.0, 0.9, 0.999, 1e-8, false },
    };

    [Theory]
    [MemberData(nameof(OptimizerDefaults))]
    public void EveryOptimizerWithItsDocumentedDefaults(string name, OptimizerKind kind, double lr, double momentum, double decay, double beta1, double beta2, double epsilon, bool hasMomentum)
    {
        var optimizer = Dnet.Network(Dnet.With($"    optimizer {name}")).Optimizer;
        Assert.Equal(new OptimizerModel(kind, Tunable.Fixed(lr), Tunable.Fixed(momentum), Tunable.Fixed(decay), Tunable.Fixed(beta1),
            Tunable.Fixed(beta2), Tunable.Fixed(epsilon), Tunable.Fixed(0), Tunable.Fixed(0), hasMomentum), optimizer);
    }

    [Fact]
    public void SgdHasMomentumStateOnlyWhenGivenAMomentumArgument()
    {
        Assert.False(Dnet.Network(Dnet.With("    optimizer sgd(learning_rate = 0.1)")).Optimizer.HasMomentum);
        var withMomentum = Dnet.Network(Dnet.With("    optimizer sgd(learning_rate = 0.1, momentum = 0)")).Optimizer;
        Assert.True(withMomentum.HasMomentum);
        Assert.Equal(0, withMomentum.Momentum.Value);
    }

    [Fact]
    public void OptimizerArgumentsPositionalInDocumentedOrderAndDecays()
    {
        var adam = Dnet.Network(Dnet.With("    optimizer adam(0.002, 0.8, 0.99, 1e-7, 0.01, 0.001)")).Optimizer;
        Assert.Equal(new OptimizerModel(OptimizerKind.Adam, Tunable.Fixed(0.002), Tunable.Fixed(0), Tunable.Fixed(0), Tunable.Fixed(0.8),
            Tunable.Fixed(0.99), Tunable.Fixed(1e-7), Tunable.Fixed(0.01), Tunable.Fixed(0.001)), adam);
        var rms = Dnet.Network(Dnet.With("    optimizer rmsprop(decay = 0.5, learning_rate = 0.1, weight_decay = 1e-4, l1_decay = 2E-5)")).Optimizer;
        Assert.Equal(0.5, rms.Decay.Value);
        Assert.Equal(1e-4, rms.WeightDecay.Value);
        Assert.Equal(2e-5, rms.L1Decay.Value);
    }

    [Fact]
    public void TrainSettingsAcrossSeveralStatementsMerge()
    {
        var training = Dnet.Network(Dnet.With("    train batch = 64, shuffle = false\n    train epochs = 3, seed = 9007199254740993, denoising = 0.5")).Training;
        Assert.Equal(new TrainingModel(Tunable.Fixed(64), Tunable.Fixed(3), Tunable.Fixed(0.5), false, 9007199254740993, null), training);
    }

    [Fact]
    public void SparsenessPenaltyPositionalOrNamed()
    {
        var a = Dnet.Network(Dnet.With("    train sparseness_penalty(0.05, 3)")).Training.SparsenessPenalty;
        var b = Dnet.Network(Dnet.With("    train sparseness_penalty(beta = 3, p = 0.05)")).Training.SparsenessPenalty;
        Assert.Equal(new SparsenessPenaltyModel(Tunable.Fixed(0.05), Tunable.Fixed(3)), a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void EverySearchPathIsCollectedInCanonicalOrder()
    {
        var network = Dnet.Network("""
            network N {
                input  items  : sparse auto
                hidden h1     : choice(64, 128, 256) dropout(0.1 tune(0 .. 0.5))
                hidden h2     : 512 choice(256, 512) relu dropout(choice(0, 0.2))
                output scores : sparse auto sigmoid target items
                train     denoising = 0.1 tune(0 .. 0.3), sparseness_penalty(p = 0.05 tune(0.01 .. 0.2, log), beta = 1 choice(1, 2, 4)), batch = 128 tune(32 .. 512, log), epochs = 5 choice(5, 10)
                optimizer adam(weight_decay = 0.001 tune(1e-5 .. 1e-2, log), learning_rate = 0.001 tune(1e-4 .. 1e-2, log), beta1 = 0.9 choice(0.8, 0.9))
                loss      scaled_marginal_cross_entropy(zero_target = 0.1 tune(0 .. 0.3), one_target = 0.9 tune(0.6 .. 1))
            }
            """);
        Assert.Equal(new[]
        {
            "h1.width", "h1.dropout", "h2.width", "h2.dropout",
            "loss.one_target", "loss.zero_target",
            "optimizer.learning_rate", "optimizer.beta1", "optimizer.weight_decay",
            "train.batch", "train.epochs", "train.denoising", "train.sparseness_penalty.p", "train.sparseness_penalty.beta",
        }, network.SearchSpace.Select(p => p.Path));

        var space = network.SearchSpace.ToDictionary(p => p.Path);
        Assert.Equal(new SearchParameter("h1.width", 64, new ChoiceRange(EquatableArray.Create(64.0, 128, 256))), space["h1.width"]);
        Assert.Equal(new SearchParameter("h2.width", 512, new ChoiceRange(EquatableArray.Create(256.0, 512))), space["h2.width"]);
        Assert.Equal(new SearchParameter("h2.dropout", 0, new ChoiceRange(EquatableArray.Create(0.0, 0.2))), space["h2.dropout"]);
        Assert.Equal(new ContinuousRange(32, 512, Log: true, Integer: true), space["train.batch"].Range); // integer setting implies int
        Assert.Equal(new ContinuousRange(0.01, 0.2, Log: true, Integer: false), space["train.sparseness_penalty.p"].Range);
        Assert.Equal(new ContinuousRange(0, 0.5, Log: false, Integer: false), space["h1.dropout"].Range);

        // The tunables in the model carry the same ranges as the search space.
        var h1 = network.Layers.Single(l => l.Name == "h1");
        Assert.Equal(space["h1.width"].Range, h1.Width.Units.Range);
        Assert.Equal(64, h1.Width.Units.Value);
        Assert.Equal(space["optimizer.learning_rate"].Range, network.Optimizer.LearningRate.Range);
        Assert.Equal(space["loss.zero_target"].Range, network.Loss.ZeroTarget.Range);
        Assert.Equal(space["train.sparseness_penalty.beta"].Range, network.Training.SparsenessPenalty!.Beta.Range);
    }

    [Fact]
    public void DefaultSourceIsTheLayerDeclaredJustBefore()
    {
        var network = Dnet.Network("network N {\n    input a : 8\n    hidden b : 4\n    hidden c : 4\n    output d : 8 sigmoid target a\n}");
        Assert.Equal(new[] { "a" }, network.Layers[1].Sources);
        Assert.Equal(new[] { "b" }, network.Layers[2].Sources);
        Assert.Equal(new[] { "c" }, network.Layers[3].Sources);
    }

    [Fact]
    public void SourcesMayNameLaterLayersAndLayersComeInDependencyOrder()
    {
        var network = Dnet.Network("network N {\n    input a : 8\n    output o : 8 sigmoid <- late target a\n    hidden late : 4 <- early\n    hidden early : 4 <- a\n}");
        Assert.Equal(new[] { "a", "early", "late", "o" }, network.Layers.Select(l => l.Name));
        Assert.Equal(new[] { 1, 4, 3, 2 }, network.Layers.Select(l => l.Line));
    }

    [Fact]
    public void SeveralSourcesAreKeptInWrittenOrder()
    {
        var network = Dnet.Network("network N {\n    input a : 8\n    input b : sparse auto\n    hidden h : 4 <- b, a\n    output o : 8 sigmoid target a\n}");
        Assert.Equal(new[] { "b", "a" }, network.Layers.Single(l => l.Name == "h").Sources);
    }

    [Fact]
    public void AutoOutputTakesAFixedTargetWidthAndStaysAutoForAnAutoTarget()
    {
        var fixedTarget = Dnet.Network("network N {\n    input x : 40\n    output o : auto sigmoid target x\n}");
        Assert.Equal(new WidthModel(false, Tunable.Fixed(40)), fixedTarget.Layers[1].Width);
        var autoTarget = Dnet.Network(Dnet.Valid);
        Assert.True(autoTarget.Layers.Single(l => l.Name == "scores").Width.IsAuto);
    }

    [Fact]
    public void AFixedOutputMayTargetAnAutoInput()
    {
        var network = Dnet.Network("network N {\n    input items : sparse auto\n    output o : sparse 100 sigmoid target items\n}");
        Assert.Equal(100, network.Layers[1].Width.Units.Value);
    }

    [Fact]
    public void ClausesAfterTheWidthInAnyOrderAndAcrossLines()
    {
        var a = Dnet.Network("network N {\n    input items : sparse auto\n    output scores : sparse auto sigmoid <- items target items\n}");
        var b = Dnet.Network("network N {\n    input items : sparse auto\n    output scores : auto target items\n        sparse\n        <- items sigmoid\n}");
        Assert.Equal(a.Layers.Select(l => l with { Line = 0 }), b.Layers.Select(l => l with { Line = 0 }));
    }

    [Fact]
    public void NamespaceComesFromTheFileOrTheDefaultOrIsNull()
    {
        Assert.Equal("A.B", Dnet.Compile("namespace A.B;\n" + Dnet.Valid, "Default").Networks.Single().Namespace);
        Assert.Equal("Default", Dnet.Compile(Dnet.Valid, "Default").Networks.Single().Namespace);
        Assert.Null(Dnet.Compile(Dnet.Valid, null).Networks.Single().Namespace);
        Assert.Null(Dnet.Compile(Dnet.Valid, "").Networks.Single().Namespace);
    }

    [Fact]
    public void SeveralNetworksInOneFile()
    {
        var compilation = Dnet.Compile("namespace X;\n" + Dnet.Valid + "\nnetwork M {\n    input a : 3\n    output b : 3 linear target a\n    loss l2\n}\n");
        Dnet.AssertNoErrors(compilation);
        Assert.Equal(new[] { "N", "M" }, compilation.Networks.Select(n => n.Name));
        Assert.All(compilation.Networks, n => Assert.Equal("X", n.Namespace));
        Assert.Equal(6, compilation.Networks[1].Line);
    }

    [Fact]
    public void NumbersInEveryWrittenForm()
    {
        var optimizer = Dnet.Network(Dnet.With("    optimizer adam(learning_rate = 2.5E-3, epsilon = .5e-8, weight_decay = +1e+0)")).Optimizer;
        Assert.Equal(2.5e-3, optimizer.LearningRate.Value);
        Assert.Equal(0.5e-8, optimizer.Epsilon.Value);
        Assert.Equal(1, optimizer.WeightDecay.Value);
    }

    [Fact]
    public void AnEmptyFileAndACommentOnlyFileCompileWithoutErrors()
    {
        foreach (var text in new[] { "", "   \n\t", "// just a note\n/* and a block */" })
        {
            var compilation = Dnet.Compile(text);
            Assert.False(compilation.HasErrors);
            Assert.Empty(compilation.Networks);
            Assert.Equal("DNET0200", Assert.Single(compilation.Diagnostics).Id);
        }
    }
}
