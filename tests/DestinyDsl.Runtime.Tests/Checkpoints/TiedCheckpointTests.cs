using DestinyDsl.Runtime.Checkpoints.Safetensors;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Tests.Engine;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Checkpoints;

/// <summary>
/// A tied matrix is one parameter in checkpoints too: stored once under its owner's name with the tie in the metadata,
/// resumed bit for bit on the same shard count and within float rounding on another, and a tied file does not load
/// into the untied network (or the reverse) however else they agree.
/// </summary>
public sealed class TiedCheckpointTests : IDisposable
{
    private const int Items = 30;
    private readonly string _directory = Directory.CreateTempSubdirectory("destinydsl-tied-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static NetworkSpec Spec(bool tied) => Network(
        new[]
        {
            Input("items", Items, sparse: true),
            Hidden("h1", 7, ActivationKind.Sigmoid, new[] { "items" }),
            Output("scores", Items, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) with { Tied = tied ? new TiedEdgeSpec("items", "h1") : null },
        },
        new LossSpec(LossKind.CrossEntropy),
        new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f),
        batch: 8, epochs: 1, shuffle: true, denoising: 0.1f) with { Name = "Autoencoder", SourceHash = "same" };

    private static TestModel Build(bool tied = true, int shards = 1) => new(Spec(tied), KernelsFor(Spec(tied), typeof(RmsPropRule)), DeviceGroup.Cpu(shards));

    private static NetworkData Data() => new NetworkData().Add("items", RandomSparse(50, Items, 5, 3));

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void TheSharedMatrixIsStoredOnceUnderItsOwnersName()
    {
        using var tied = Build();
        tied.Train(Data(), new TrainingOptions { Epochs = 1 });
        tied.Save(PathOf("tied.safetensors"));
        using var untied = Build(tied: false);
        untied.Save(PathOf("untied.safetensors"));
        using var t = SafetensorsFile.Open(PathOf("tied.safetensors"));
        using var u = SafetensorsFile.Open(PathOf("untied.safetensors"));
        // Weights, biases and one RMSProp state each: h1.weight, h1.bias, scores.bias (no scores.weight) against four.
        Assert.Equal(new[] { "h1.bias", "h1.weight", "optimizer.h1.bias.square_avg", "optimizer.h1.weight.square_avg", "optimizer.scores.bias.square_avg", "scores.bias" },
            t.Tensors.Select(i => i.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(8, u.Tensors.Count);
        Assert.Equal("scores.weight = h1.weight^T", t.Metadata["tied"]);
        Assert.False(u.Metadata.ContainsKey("tied"));
        // The decoder's weights are the stored matrix transposed: GetWeights gives [out, in] of each use.
        var owner = tied.GetWeights("h1", "items");    // [7, 30]
        var decoder = tied.GetWeights("scores", "h1"); // [30, 7]
        for (var o = 0; o < 7; o++)
            for (var i = 0; i < Items; i++) Assert.Equal(owner.Data[(o * Items) + i], decoder.Data[(i * 7) + o]);
        var file = new float[7 * Items];
        t.Read("h1.weight", file);
        Assert.Equal(owner.Data, file);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(1, 3)]
    [InlineData(3, 2)]
    public void ResumingContinuesTheUninterruptedRun(int savedOn, int resumedOn)
    {
        var data = Data();
        using var straight = Build(shards: savedOn);
        var all = Losses(straight, data, 3);
        using var first = Build(shards: savedOn);
        var before = Losses(first, data, 1);
        first.Save(PathOf("resume.safetensors"));
        using var resumed = Build(shards: resumedOn);
        resumed.Load(PathOf("resume.safetensors"));
        var after = Losses(resumed, data, 2);
        var joined = before.Concat(after).ToList();
        if (savedOn == resumedOn)
        {
            Assert.Equal(all, joined);   // bit for bit: the tie, its optimizer state and the position all restored
            Assert.Equal(straight.GetWeights("h1", "items").Data, resumed.GetWeights("h1", "items").Data);
            return;
        }
        // Another shard count sums in another order: float rounding only.
        for (var i = 0; i < all.Count; i++) Assert.True(Math.Abs(all[i] - joined[i]) <= 1e-5 * Math.Abs(all[i]), $"step {i}: {joined[i]:R} vs {all[i]:R}");
    }

    [Fact]
    public void TiedAndUntiedCheckpointsDoNotLoadIntoEachOther()
    {
        using (var tied = Build()) tied.Save(PathOf("tied.safetensors"));
        using (var untied = Build(tied: false)) untied.Save(PathOf("untied.safetensors"));
        using var tiedModel = Build();
        using var untiedModel = Build(tied: false);
        var intoUntied = Assert.Throws<CheckpointFormatException>(() => untiedModel.Load(PathOf("tied.safetensors")));
        Assert.Contains("holds tied weights (scores.weight = h1.weight^T), but 'Autoencoder' has no tied edges", intoUntied.Message);
        var intoTied = Assert.Throws<CheckpointFormatException>(() => tiedModel.Load(PathOf("untied.safetensors")));
        Assert.Contains("holds untied weights, but 'Autoencoder' ties scores.weight = h1.weight^T", intoTied.Message);
        Assert.Equal(0, tiedModel.Step);
    }

    private static List<double> Losses(TestModel model, NetworkData data, int epochs)
    {
        var losses = new List<double>();
        model.Train(data, new TrainingOptions { Epochs = epochs }, new SynchronousProgress(p => losses.Add(p.Loss)));
        return losses;
    }
}
