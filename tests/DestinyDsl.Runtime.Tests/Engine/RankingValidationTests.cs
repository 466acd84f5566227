using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// <see cref="TrainingOptions.Ranking"/>: precision@K of held-out items after every epoch. It must be exactly what
/// <c>Model.Evaluate</c> says about the same weights, on any shard count, and leave training untouched.
/// </summary>
public sealed class RankingValidationTests
{
    private const int Items = 41;

    private static NetworkSpec Spec() => Network(
        new[] { Input("items", Items, sparse: true), Hidden("h1", 12, ActivationKind.Sigmoid, new[] { "items" }), Output("scores", Items, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) },
        new LossSpec(LossKind.ScaledMarginalCrossEntropy, 1f, 0f, 1f, 1f), new OptimizerSpec(OptimizerKind.RmsProp, 0.02f, Decay: 0.9f),
        batch: 16, shuffle: true);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Each_epochs_precision_is_what_Evaluate_says_of_that_epochs_weights(int shards)
    {
        var training = RandomSparse(120, Items, 9, 5);
        var (visible, heldOut) = Holdout(RandomSparse(40, Items, 12, 6));
        var spec = Spec();
        using var model = new TestModel(spec, KernelsFor(spec, typeof(RmsPropRule)), DeviceGroup.Cpu(shards));
        var data = new NetworkData().Add("items", training);
        var check = new RankingValidation(new NetworkData().Add("items", visible), heldOut, K: 5);
        var precisions = new List<double>();
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var report = model.Train(data, new TrainingOptions { Epochs = 1, Ranking = check });
            var summary = Assert.Single(report.Epochs);
            var evaluated = model.Evaluate(check.Inputs, heldOut, 5).PrecisionAtK;
            Assert.Equal(evaluated, summary.ValidationPrecision);
            precisions.Add(evaluated);
        }
        // The metric moves with training (a constant would also "equal" a broken Evaluate).
        Assert.True(precisions.Distinct().Count() > 1, string.Join(", ", precisions));
    }

    [Fact]
    public void Measuring_it_changes_no_bit_of_training()
    {
        var training = RandomSparse(120, Items, 9, 7);
        var (visible, heldOut) = Holdout(RandomSparse(30, Items, 12, 8));
        float[] Train(RankingValidation? ranking, out IReadOnlyList<EpochSummary> epochs)
        {
            var spec = Spec();
            using var model = new TestModel(spec, KernelsFor(spec, typeof(RmsPropRule)), DeviceGroup.Cpu(2));
            epochs = model.Train(new NetworkData().Add("items", training), new TrainingOptions { Epochs = 3, Ranking = ranking }).Epochs;
            return model.GetWeights("scores", "h1").Data;
        }
        var plain = Train(null, out var plainEpochs);
        var measured = Train(new RankingValidation(new NetworkData().Add("items", visible), heldOut), out var measuredEpochs);
        Assert.Equal(plain, measured);
        Assert.All(plainEpochs, e => Assert.Null(e.ValidationPrecision));
        Assert.All(measuredEpochs, e => Assert.InRange(e.ValidationPrecision!.Value, 0.0, 1.0));
        Assert.Equal(plainEpochs.Select(e => e.TrainingLoss), measuredEpochs.Select(e => e.TrainingLoss));
    }

    [Fact]
    public void A_mismatched_check_is_refused_before_training()
    {
        var spec = Spec();
        using var model = new TestModel(spec, KernelsFor(spec, typeof(RmsPropRule)));
        var data = new NetworkData().Add("items", RandomSparse(20, Items, 5, 9));
        var inputs = new NetworkData().Add("items", RandomSparse(10, Items, 5, 10));
        var rows = Assert.Throws<ArgumentException>(() => model.Train(data, new TrainingOptions { Ranking = new RankingValidation(inputs, RandomSparse(9, Items, 3, 11)) }));
        Assert.Contains("9 rows", rows.Message);
        var columns = Assert.Throws<ArgumentException>(() => model.Train(data, new TrainingOptions { Ranking = new RankingValidation(inputs, RandomSparse(10, Items + 1, 3, 11)) }));
        Assert.Contains("42 columns", columns.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Train(data, new TrainingOptions { Ranking = new RankingValidation(inputs, RandomSparse(10, Items, 3, 11), K: 0) }));
        Assert.Equal(0, model.Step);
    }

    /// <summary>Moves every third item of each row to a held-out matrix.</summary>
    private static (SparseMatrix Visible, SparseMatrix HeldOut) Holdout(SparseMatrix rows)
    {
        var visible = new List<int[]>();
        var held = new List<int[]>();
        for (var r = 0; r < rows.Rows; r++)
        {
            var columns = rows.RowIndices(r).ToArray();
            visible.Add(columns.Where((_, i) => i % 3 != 0).ToArray());
            held.Add(columns.Where((_, i) => i % 3 == 0).ToArray());
        }
        return (SparseMatrix.FromRows(rows.Columns, visible), SparseMatrix.FromRows(rows.Columns, held));
    }
}
