using DestinyDsl.Runtime.Checkpoints.Safetensors;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Tests.Engine;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Checkpoints;

/// <summary>
/// Checkpoints of batch-normed layers: PyTorch's <c>BatchNorm1d</c> state dict under <c>&lt;layer&gt;.bn.*</c> (with the
/// optimizer state of γ and β), restored bit for bit on any number of shards, and a resumed run continues exactly.
/// </summary>
public sealed class BatchNormCheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("destinydsl-bn-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static (NetworkSpec Spec, NetworkData Data) Case()
    {
        var (spec, data, _) = BatchNormTests.LargerDense(batches: 3, learningRate: 0.02f, shuffle: true, dropout: 0.1f);
        // RMSProp's one state tensor per parameter (the kernels below), under its checkpoint names.
        return (spec with { Optimizer = spec.Optimizer with { Kind = OptimizerKind.RmsProp } }, data);
    }

    private static TestModel Build(NetworkSpec spec, int shards = 1) => new(spec, KernelsFor(spec, typeof(RmsPropRule)), DeviceGroup.Cpu(shards));

    [Fact]
    public void TheStateDictHasBatchNorm1dsNamesShapesAndValues()
    {
        var (spec, data) = Case();
        using var model = Build(spec);
        model.Train(data, new TrainingOptions { Epochs = 2 });
        model.Save(PathOf("bn.safetensors"));
        using var reader = SafetensorsFile.Open(PathOf("bn.safetensors"));
        var state = model.GetBatchNorm("h1");
        foreach (var (name, expected) in new[] { ("weight", state.Weight), ("bias", state.Bias), ("running_mean", state.RunningMean), ("running_var", state.RunningVar) })
        {
            var info = reader.GetTensor($"h1.bn.{name}");
            Assert.Equal(SafetensorsDtype.F32, info.Dtype);
            Assert.Equal(new long[] { 23 }, info.Shape);
            var values = new float[23];
            reader.Read($"h1.bn.{name}", values);
            Assert.Equal(expected, values);
        }
        // Trained: none of them is still at its initial value.
        Assert.DoesNotContain(1f, state.Weight);
        Assert.DoesNotContain(0f, state.RunningMean);
        var tracked = reader.GetTensor("h1.bn.num_batches_tracked");
        Assert.Equal(SafetensorsDtype.I64, tracked.Dtype);
        Assert.Empty(tracked.Shape);
        var count = new long[1];
        reader.Read("h1.bn.num_batches_tracked", count);
        Assert.Equal(model.Step, count[0]);
        Assert.Equal(6, count[0]);
        Assert.True(reader.Contains("optimizer.h1.bn.weight.square_avg"));
        Assert.True(reader.Contains("optimizer.h2.bn.bias.square_avg"));
        Assert.False(reader.Contains("optimizer.h1.bn.running_mean.square_avg"));
        Assert.False(reader.Contains("y.bn.weight"));
    }

    [Fact]
    public void LoadingRestoresEverythingOnAnyNumberOfShardsAndSavesTheSameBytes()
    {
        var (spec, data) = Case();
        using var trained = Build(spec, 3);
        trained.Train(data, new TrainingOptions { Epochs = 2 });
        trained.Save(PathOf("three.safetensors"));
        var expected = File.ReadAllBytes(PathOf("three.safetensors"));
        foreach (var shards in new[] { 1, 2, 3 })
        {
            using var loaded = Build(spec, shards);
            loaded.Load(PathOf("three.safetensors"));
            foreach (var layer in new[] { "h1", "h2" }) Assert.Equal(trained.GetBatchNorm(layer), loaded.GetBatchNorm(layer), new StateComparer());
            // Inference reads the loaded running statistics (same split: same bits).
            if (shards == 3) Assert.Equal(trained.Predict(data).Data, loaded.Predict(data).Data);
            loaded.Save(PathOf($"again-{shards}.safetensors"));
            Assert.Equal(expected, File.ReadAllBytes(PathOf($"again-{shards}.safetensors")));
        }
    }

    [Fact]
    public void ResumingContinuesExactly()
    {
        var (spec, data) = Case();
        using var straight = Build(spec);
        var all = Losses(straight, data, 3);
        using var first = Build(spec);
        var before = Losses(first, data, 1);
        first.Save(PathOf("resume.safetensors"));
        using var resumed = Build(spec);
        resumed.Load(PathOf("resume.safetensors"));
        var after = Losses(resumed, data, 2);
        Assert.Equal(all, before.Concat(after).ToList());
        Assert.Equal(straight.GetBatchNorm("h1"), resumed.GetBatchNorm("h1"), new StateComparer());
        Assert.Equal(straight.Predict(data).Data, resumed.Predict(data).Data);
    }

    private static List<double> Losses(Model model, NetworkData data, int epochs)
    {
        var losses = new List<double>();
        model.Train(data, new TrainingOptions { Epochs = epochs }, new SynchronousProgress(p => losses.Add(p.Loss)));
        return losses;
    }

    private sealed class StateComparer : IEqualityComparer<BatchNormState>
    {
        public bool Equals(BatchNormState? x, BatchNormState? y) => x is not null && y is not null
            && x.Weight.SequenceEqual(y.Weight) && x.Bias.SequenceEqual(y.Bias) && x.RunningMean.SequenceEqual(y.RunningMean) && x.RunningVar.SequenceEqual(y.RunningVar);

        public int GetHashCode(BatchNormState obj) => 0;
    }
}
