using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Tests;

/// <summary>Both LANGUAGE.md examples compile with no errors into exactly the expected models.</summary>
public class ExampleModelTests
{
    [Fact]
    public void MovieLensExampleBindsToTheExpectedModel()
    {
        var compilation = Dnet.Compile(Examples.MovieLens, "Ignored.Default");
        Assert.Empty(compilation.Diagnostics);
        var network = Assert.Single(compilation.Networks);

        Assert.Equal("MovieLensAutoencoder", network.Name);
        Assert.Equal("Samples.MovieLens", network.Namespace);
        Assert.Equal(Dnet.FilePath, network.FilePath);
        Assert.Equal(3, network.Line);
        Assert.Matches("^[0-9a-f]{16}$", network.SourceHash);

        Assert.Equal(new[] { "items", "h1", "scores" }, network.Layers.Select(l => l.Name));
        var items = network.Layers[0];
        Assert.Equal(new LayerModel("items", LayerKind.Input, WidthModel.Auto, true, new ActivationModel(ActivationKind.Linear),
            EquatableArray<string>.Empty, null, Tunable.Fixed(0), InitModel.Default, 0, 0, 5), items);
        var h1 = network.Layers[1];
        Assert.Equal(new LayerModel("h1", LayerKind.Hidden, new WidthModel(false, Tunable.Fixed(128)), false, ActivationModel.Default,
            EquatableArray.Create("items"), null, Tunable.Fixed(0), InitModel.Default, 0, 0, 6), h1);
        var scores = network.Layers[2];
        Assert.Equal(new LayerModel("scores", LayerKind.Output, WidthModel.Auto, true, ActivationModel.Default,
            EquatableArray.Create("h1"), "items", Tunable.Fixed(0), InitModel.Default, 0, 0, 7), scores);

        Assert.Equal(new LossModel(LossKind.ScaledMarginalCrossEntropy, Tunable.Fixed(1), Tunable.Fixed(0), Tunable.Fixed(1), Tunable.Fixed(1)), network.Loss);
        Assert.Equal(new OptimizerModel(OptimizerKind.Sgd, Tunable.Fixed(0.025), Tunable.Fixed(0.9), Tunable.Fixed(0), Tunable.Fixed(0),
            Tunable.Fixed(0), Tunable.Fixed(0), Tunable.Fixed(0), Tunable.Fixed(0), HasMomentum: true), network.Optimizer);
        Assert.Equal(new TrainingModel(Tunable.Fixed(256), Tunable.Fixed(10), Tunable.Fixed(0.2), true, 12134,
            new SparsenessPenaltyModel(Tunable.Fixed(0.5), Tunable.Fixed(2))), network.Training);
        Assert.Empty(network.SearchSpace);
    }

    [Fact]
    public void DeepAutoencoderExampleBindsToTheExpectedModel()
    {
        var compilation = Dnet.Compile(Examples.DeepAutoencoder, "Benchmarks");
        Assert.Empty(compilation.Diagnostics);
        var network = Assert.Single(compilation.Networks);

        Assert.Equal("DeepAutoencoder", network.Name);
        Assert.Equal("Benchmarks", network.Namespace);
        Assert.Equal(new[] { "items", "h1", "h2", "h3", "scores" }, network.Layers.Select(l => l.Name));
        Assert.All(network.Layers.Skip(1).Take(3), l => Assert.Equal(ActivationKind.Sigmoid, l.Activation.Kind));

        var h1 = network.Layers[1];
        Assert.Equal(1024, h1.Width.Units.Value);
        Assert.Equal(Tunable.Fixed(0.1), h1.Dropout);
        Assert.Equal(new InitModel(InitScheme.Xavier, 1), h1.Init);
        Assert.Equal(new[] { "items" }, h1.Sources);

        var h2 = network.Layers[2];
        var h2Range = new ContinuousRange(256, 4096, Log: true, Integer: true);
        Assert.Equal(new WidthModel(false, new Tunable(1024, h2Range)), h2.Width);
        Assert.Equal(new[] { "h1" }, h2.Sources);

        var h3 = network.Layers[3];
        Assert.Equal(new[] { "h2", "h1" }, h3.Sources);
        var scores = network.Layers[4];
        Assert.True(scores.Width.IsAuto);
        Assert.Equal(new[] { "h3" }, scores.Sources);
        Assert.Equal("items", scores.Target);

        // Loss defaults of scaled marginal cross entropy (DSSTNE's 0.9 / 0.1 / 1 / 1).
        Assert.Equal(new LossModel(LossKind.ScaledMarginalCrossEntropy, Tunable.Fixed(0.9), Tunable.Fixed(0.1), Tunable.Fixed(1), Tunable.Fixed(1)), network.Loss);

        var lrRange = new ContinuousRange(1e-4, 1e-1, Log: true, Integer: false);
        Assert.Equal(new OptimizerModel(OptimizerKind.RmsProp, new Tunable(0.01, lrRange), Tunable.Fixed(0), Tunable.Fixed(0.9), Tunable.Fixed(0),
            Tunable.Fixed(0), Tunable.Fixed(1e-8), Tunable.Fixed(0), Tunable.Fixed(0), HasMomentum: false), network.Optimizer);
        Assert.Equal(new TrainingModel(Tunable.Fixed(256), Tunable.Fixed(20), Tunable.Fixed(0), true, 12134, null), network.Training);

        Assert.Equal(new[]
        {
            new SearchParameter("h2.width", 1024, h2Range),
            new SearchParameter("optimizer.learning_rate", 0.01, lrRange),
        }, network.SearchSpace);
    }

    [Fact]
    public void TheBriefsFullExampleBindsEveryClause()
    {
        var network = Dnet.Network(Examples.Everything);
        var h1 = network.Layers.Single(l => l.Name == "h1");
        Assert.Equal(new InitModel(InitScheme.Gaussian, 0.01), h1.Init);
        Assert.Equal(-10.2, h1.BiasInit);
        Assert.Equal(3, h1.MaxNorm);
        Assert.Equal(Tunable.Fixed(0.1), h1.Dropout);
        Assert.Equal(7, network.Training.Seed);
        Assert.True(network.Training.Shuffle);
        Assert.Equal(0.2, network.Training.Denoising.Value);
        Assert.Equal(new[] { "h2.width", "optimizer.learning_rate" }, network.SearchSpace.Select(p => p.Path));
    }

    [Fact]
    public void TheRepositoryExampleFileCompiles()
    {
        var path = Path.Combine(RepositoryRoot.Find(), "examples", "MovieLens", "MovieLens.dnet");
        var compilation = DnetCompiler.Compile(File.ReadAllText(path), path, "MovieLens");
        Assert.Empty(compilation.Diagnostics);
        Assert.Equal("MovieLensAutoencoder", Assert.Single(compilation.Networks).Name);
    }
}
