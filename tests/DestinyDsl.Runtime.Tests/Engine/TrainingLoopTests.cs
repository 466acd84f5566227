using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>The training loop's guarantees: determinism, exact continuation, cancellation, divergence detection, argument checks.</summary>
public sealed class TrainingLoopTests
{
    private static NetworkSpec Spec(float dropout = 0.2f, float denoising = 0.2f, float learningRate = 0.1f, bool shuffle = true) => Network(
        new[] { Input("items", 40, sparse: true), Hidden("h1", 8, ActivationKind.Sigmoid, new[] { "items" }, dropout), Output("scores", 40, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) },
        new LossSpec(LossKind.ScaledMarginalCrossEntropy, 1f, 0f, 1f, 1f),
        new OptimizerSpec(OptimizerKind.RmsProp, learningRate, Decay: 0.9f),
        batch: 16, epochs: 2, shuffle: shuffle, denoising: denoising);

    private static TestModel Build(NetworkSpec spec) => new(spec, KernelsFor(spec, typeof(RmsPropRule)));

    private static NetworkData Data(int rows = 100) => new NetworkData().Add("items", RandomSparse(rows, 40, 6, 11));

    private static List<double> StepLosses(TestModel model, NetworkData data, int epochs)
    {
        var losses = new List<double>();
        model.Train(data, new TrainingOptions { Epochs = epochs }, new SynchronousProgress(p => losses.Add(p.Loss)));
        return losses;
    }

    [Fact]
    public void TheSameSeedGivesBitIdenticalLosses()
    {
        using var a = Build(Spec());
        using var b = Build(Spec());
        var data = Data();
        Assert.Equal(StepLosses(a, data, 2), StepLosses(b, data, 2));
    }

    [Fact]
    public void TrainingInTwoCallsEqualsTrainingInOne()
    {
        using var once = Build(Spec());
        using var twice = Build(Spec());
        var data = Data();
        var all = StepLosses(once, data, 3);
        var first = StepLosses(twice, data, 1);
        var rest = StepLosses(twice, data, 2);
        Assert.Equal(all, first.Concat(rest).ToList());
        Assert.Equal(once.Step, twice.Step);
        Assert.Equal(3, twice.Epoch);
        Assert.Equal(once.GetWeights("scores", "h1").Data, twice.GetWeights("scores", "h1").Data);
    }

    [Fact]
    public void TrainingReducesTheLoss()
    {
        using var model = Build(Spec(dropout: 0f, denoising: 0f, learningRate: 0.01f));
        var data = Data(200);
        var before = model.Loss(data);
        model.Train(data, new TrainingOptions { Epochs = 20 });
        var after = model.Loss(data);
        Assert.True(after < 0.8 * before, $"loss {before} → {after}");
    }

    [Fact]
    public void CancellationStopsAfterAStepAndKeepsIt()
    {
        using var model = Build(Spec());
        using var cts = new CancellationTokenSource();
        var steps = 0;
        var progress = new SynchronousProgress(_ => { if (++steps == 3) cts.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => model.Train(Data(), new TrainingOptions { Epochs = 5 }, progress, cts.Token));
        Assert.Equal(3, model.Step);
    }

    [Fact]
    public void ACancelledRunResumesExactly()
    {
        using var reference = Build(Spec());
        using var resumed = Build(Spec());
        var data = Data();
        var all = StepLosses(reference, data, 2);
        using var cts = new CancellationTokenSource();
        var losses = new List<double>();
        var progress = new SynchronousProgress(p => { losses.Add(p.Loss); if (losses.Count == 4) cts.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => resumed.Train(data, new TrainingOptions { Epochs = 2 }, progress, cts.Token));
        // The rest of epoch 0 counts as the first of the two epochs asked for.
        losses.AddRange(StepLosses(resumed, data, 2));
        Assert.Equal(all, losses);
    }

    [Fact]
    public void DivergenceNamesTheLayerAndStep()
    {
        var spec = Network(
            new[] { Input("x", 4, sparse: false), Hidden("h", 3, ActivationKind.Linear, new[] { "x" }), Output("y", 4, ActivationKind.Linear, new[] { "h" }, "x", sparse: false) },
            new LossSpec(LossKind.L2), new OptimizerSpec(OptimizerKind.Sgd, 1e6f), batch: 4);
        using var model = new TestModel(spec, KernelsFor(spec, typeof(PlainSgd)));
        var x = RandomDense(8, 4, 1);
        var e = Assert.Throws<TrainingDivergedException>(() => model.Train(new NetworkData().Add("x", x), new TrainingOptions { Epochs = 50 }));
        Assert.Contains("step", e.Message);
        Assert.True(e.Layer is "h" or "y" or "loss", e.Layer);
    }

    [Fact]
    public void BadArgumentsAreRejectedWithClearMessages()
    {
        using var model = Build(Spec());
        Assert.Contains("not an input layer", Assert.Throws<ArgumentException>(() => model.Train(new NetworkData().Add("h1", RandomSparse(4, 40, 2, 1)))).Message);
        Assert.Contains("has no data bound", Assert.Throws<ArgumentException>(() => model.Train(new NetworkData())).Message);
        Assert.Contains("40", Assert.Throws<ArgumentException>(() => model.Train(new NetworkData().Add("items", RandomSparse(4, 39, 2, 1)))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Train(Data(), new TrainingOptions { Batch = 0 }));
        Assert.Throws<ArgumentException>(() => model.Train(Data(), new TrainingOptions { EarlyStoppingPatience = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Recommend(new NetworkData().Add("items", RandomSparse(4, 40, 2, 1)), 4, 10));
        Assert.Contains("columns", Assert.Throws<ArgumentException>(() => model.Evaluate(new NetworkData().Add("items", RandomSparse(4, 40, 2, 1)), RandomSparse(4, 41, 2, 2))).Message);
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => model.Train(new NetworkData().Add("items", new SparseMatrix(0, 40, new long[1], Array.Empty<int>())))).Message);
    }

    [Fact]
    public void EarlyStoppingStopsWhenValidationStopsImproving()
    {
        using var model = Build(Spec(learningRate: 0.5f));
        var report = model.Train(Data(), new TrainingOptions { Epochs = 200, Validation = new NetworkData().Add("items", RandomSparse(30, 40, 6, 99)), EarlyStoppingPatience = 2 });
        Assert.True(report.StoppedEarly);
        Assert.True(report.Epochs.Count < 200);
        Assert.All(report.Epochs, e => Assert.NotNull(e.ValidationLoss));
    }

    [Fact]
    public void EarlyStoppingFollowsThePatienceRuleExactly()
    {
        using var model = Build(Spec(learningRate: 0.5f));
        const int patience = 3;
        var report = model.Train(Data(), new TrainingOptions { Epochs = 200, Validation = Validation(), EarlyStoppingPatience = patience });
        var losses = report.Epochs.Select(e => e.ValidationLoss!.Value).ToArray();
        // The run ends exactly `patience` epochs after the last strict improvement, and never earlier.
        var lastImprovement = 0;
        for (var e = 1; e < losses.Length; e++)
        {
            var since = e - lastImprovement;
            if (losses[e] < losses[lastImprovement]) lastImprovement = e;
            else Assert.True(since < patience || e == losses.Length - 1, $"epoch {e} was {since} epochs past the best and training went on");
        }
        Assert.True(report.StoppedEarly);
        Assert.Equal(lastImprovement + patience + 1, losses.Length);
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestEpochsWeights()
    {
        var validation = Validation();
        using var restored = Build(Spec(learningRate: 0.5f));
        var report = restored.Train(Data(), new TrainingOptions { Epochs = 200, Validation = validation, EarlyStoppingPatience = 2 });
        var losses = report.Epochs.Select(e => e.ValidationLoss!.Value).ToArray();
        var best = Array.IndexOf(losses, losses.Min());
        Assert.True(best < losses.Length - 1, "the run should end past its best epoch for this test to mean anything");
        Assert.Equal(report.Epochs[best].Epoch, report.RestoredEpoch);
        Assert.Equal(losses[best], restored.Loss(validation));           // bit-identical: the best epoch's weights

        using var kept = Build(Spec(learningRate: 0.5f));
        var keptReport = kept.Train(Data(), new TrainingOptions { Epochs = 200, Validation = validation, EarlyStoppingPatience = 2, RestoreBestWeights = false });
        Assert.Null(keptReport.RestoredEpoch);
        Assert.Equal(keptReport.Epochs[^1].ValidationLoss!.Value, kept.Loss(validation));
        Assert.NotEqual(losses[best], kept.Loss(validation));
    }

    private static NetworkData Validation() => new NetworkData().Add("items", RandomSparse(30, 40, 6, 99));

    [Fact]
    public void RecommendationsSkipSeenItemsAndAreSortedByScore()
    {
        using var model = Build(Spec());
        var data = Data();
        model.Train(data, new TrainingOptions { Epochs = 1 });
        var matrix = data.Sparse("items")!;
        var all = model.RecommendAll(data, 5);
        var scores = model.Predict(data);
        for (var row = 0; row < matrix.Rows; row++)
        {
            var recs = all[row];
            Assert.Equal(5, recs.Length);
            Assert.DoesNotContain(recs, r => matrix.RowIndices(row).Contains(r.Column));
            for (var i = 1; i < recs.Length; i++) Assert.True(recs[i - 1].Score >= recs[i].Score);
            foreach (var r in recs) Assert.Equal(scores.Data[(row * 40) + r.Column], r.Score);
            // Nothing unseen scores higher than the last recommendation.
            var threshold = recs[^1].Score;
            for (var c = 0; c < 40; c++)
            {
                if (matrix.RowIndices(row).Contains(c) || recs.Any(r => r.Column == c)) continue;
                Assert.True(scores.Data[(row * 40) + c] <= threshold);
            }
            Assert.Equal(recs, model.Recommend(data, row, 5));
        }
    }
}

/// <summary>Calls back on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
