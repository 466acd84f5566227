using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Evaluation;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Runtime.Tests.Learning;

/// <summary>
/// A real learning check, not a smoke test: the generated MovieLens autoencoder trained on structured synthetic data
/// lowers its validation loss epoch after epoch and recommends held-out items clearly better than popularity.
/// </summary>
public sealed class LearningTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static (SparseMatrix Train, SparseMatrix HeldOut, SparseMatrix Validation) Data()
    {
        // One population: the first 1500 users train (with a fifth of their items held out), the other 300 validate.
        var all = SyntheticInteractions.Generate(new SyntheticOptions { Users = 1800, Items = 2500, Seed = 7 }).Matrix;
        var (train, heldOut) = HoldOutSplit.Split(all.SelectRows(Enumerable.Range(0, 1500).ToArray()), 0.2, seed: 11, minItems: 5);
        var validation = all.SelectRows(Enumerable.Range(1500, 300).ToArray());
        return (train, heldOut, validation);
    }

    [Fact]
    public void TrainingLowersValidationLossAndBeatsPopularity()
    {
        var (train, heldOut, validation) = Data();
        using var model = new SampleAutoencoder(itemsWidth: train.Columns);
        var baseline = new PopularityBaseline(train);
        var popularity = RankingMetrics.Compute(Enumerable.Range(0, train.Rows).Select(r => baseline.Recommend(r, train, 10)).ToList(), heldOut, 10);
        var before = model.Evaluate(train, heldOut, 10);
        var untrained = model.Loss(SampleAutoencoder.Bind(validation));

        var report = model.Train(train, new TrainingOptions { Epochs = 30, Validation = SampleAutoencoder.Bind(validation) });
        var after = model.Evaluate(train, heldOut, 10);

        var losses = report.Epochs.Select(e => e.ValidationLoss!.Value).ToArray();
        var curve = $"validation loss {untrained:F1} untrained, then {string.Join(" → ", losses.Select(l => l.ToString("F1")))}";
        output.WriteLine(curve);
        output.WriteLine($"precision@10 {after.PrecisionAtK:P1} (untrained {before.PrecisionAtK:P1}), popularity {popularity.PrecisionAtK:P1}; NDCG@10 {after.NdcgAtK:P1} vs {popularity.NdcgAtK:P1}");
        Assert.True(losses[^1] < 0.5 * untrained, curve);
        Assert.True(losses[^1] < 0.95 * losses[0], $"still improving after the first epoch: {curve}");
        Assert.True(after.PrecisionAtK > 1.3 * popularity.PrecisionAtK, $"precision@10 {after.PrecisionAtK:P1} vs popularity {popularity.PrecisionAtK:P1} (untrained {before.PrecisionAtK:P1})");
        Assert.True(after.NdcgAtK > popularity.NdcgAtK);
        Assert.True(after.PrecisionAtK > 2 * before.PrecisionAtK);
    }

    [Fact]
    public void FourShardsLearnTheSameModel()
    {
        var (train, heldOut, _) = Data();
        using var one = new SampleAutoencoder(itemsWidth: train.Columns);
        using var four = new SampleAutoencoder(itemsWidth: train.Columns, devices: DeviceGroup.Cpu(4));
        one.Train(train, new TrainingOptions { Epochs = 2 });
        four.Train(train, new TrainingOptions { Epochs = 2 });
        var a = one.Evaluate(train, heldOut, 10);
        var b = four.Evaluate(train, heldOut, 10);
        Assert.Equal(a.Loss, b.Loss, 3);
        Assert.Equal(a.PrecisionAtK, b.PrecisionAtK, 2);
    }
}
