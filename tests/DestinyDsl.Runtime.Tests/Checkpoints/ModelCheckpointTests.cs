using DestinyDsl.Runtime.Checkpoints.Safetensors;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Tests.Engine;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Checkpoints;

/// <summary>Model checkpoints: round trip, exact resume, and rejection of files that are not this network's.</summary>
public sealed class ModelCheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("destinydsl-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static NetworkSpec Spec(int items = 30, string name = "TestNetwork", string hash = "test") => Network(
        new[]
        {
            Input("items", items, sparse: true),
            Hidden("h1", 7, ActivationKind.Sigmoid, new[] { "items" }, dropout: 0.1f),
            Hidden("h2", 5, ActivationKind.Tanh, new[] { "h1" }),
            Hidden("h3", 6, ActivationKind.Sigmoid, new[] { "h2", "h1" }),
            Output("scores", items, ActivationKind.Sigmoid, new[] { "h3" }, "items", sparse: true),
        },
        new LossSpec(LossKind.ScaledMarginalCrossEntropy, 1f, 0f, 1f, 1f),
        new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f),
        batch: 8, epochs: 1, shuffle: true, denoising: 0.1f) with { Name = name, SourceHash = hash };

    private static TestModel Build(NetworkSpec spec) => new(spec, KernelsFor(spec, typeof(RmsPropRule)));

    private static NetworkData Data(int items = 30) => new NetworkData().Add("items", RandomSparse(50, items, 5, 3));

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void SaveThenLoadRestoresEveryParameterAndTheStep()
    {
        using var trained = Build(Spec());
        var data = Data();
        trained.Train(data, new TrainingOptions { Epochs = 2 });
        trained.Save(PathOf("a.safetensors"));
        using var loaded = Build(Spec());
        loaded.Load(PathOf("a.safetensors"));
        Assert.Equal(trained.Step, loaded.Step);
        Assert.Equal(trained.Epoch, loaded.Epoch);
        foreach (var (layer, source) in new[] { ("h1", "items"), ("h2", "h1"), ("h3", "h2"), ("h3", "h1"), ("scores", "h3") })
        {
            Assert.Equal(trained.GetWeights(layer, source).Data, loaded.GetWeights(layer, source).Data);
        }
        Assert.Equal(trained.GetBias("scores"), loaded.GetBias("scores"));
        Assert.Equal(trained.Predict(data).Data, loaded.Predict(data).Data);
    }

    [Fact]
    public void TensorsAreNamedAndShapedLikeNnLinear()
    {
        using var model = Build(Spec());
        model.Save(PathOf("layout.safetensors"));
        using var reader = SafetensorsFile.Open(PathOf("layout.safetensors"));
        Assert.Equal(new long[] { 7, 30 }, reader.GetTensor("h1.weight").Shape);
        Assert.Equal(new long[] { 7 }, reader.GetTensor("h1.bias").Shape);
        Assert.Equal(new long[] { 6, 5 }, reader.GetTensor("h3.h2.weight").Shape);
        Assert.Equal(new long[] { 6, 7 }, reader.GetTensor("h3.h1.weight").Shape);
        Assert.Equal(new long[] { 30, 6 }, reader.GetTensor("scores.weight").Shape);
        Assert.True(reader.Contains("optimizer.scores.weight.square_avg"));
        Assert.Equal("TestNetwork", reader.Metadata["network"]);
        Assert.Equal("RmsProp", reader.Metadata["optimizer"]);
        // [out, in]: row o of the file is output unit o's incoming weights.
        var w = model.GetWeights("scores", "h3");
        var file = new float[30 * 6];
        reader.Read("scores.weight", file);
        Assert.Equal(w.Data, file);
    }

    [Fact]
    public void ResumingFromACheckpointContinuesExactly()
    {
        var data = Data();
        using var straight = Build(Spec());
        var all = Losses(straight, data, 3);
        using var first = Build(Spec());
        var before = Losses(first, data, 1);
        first.Save(PathOf("resume.safetensors"));
        using var resumed = Build(Spec());
        resumed.Load(PathOf("resume.safetensors"));
        var after = Losses(resumed, data, 2);
        Assert.Equal(all, before.Concat(after).ToList());
        Assert.Equal(straight.GetWeights("scores", "h3").Data, resumed.GetWeights("scores", "h3").Data);
    }

    [Fact]
    public void AFileOfAnotherNetworkIsRejectedAndTheModelIsUnchanged()
    {
        using (var other = Build(Spec(name: "Other"))) other.Save(PathOf("other.safetensors"));
        using (var changed = Build(Spec(hash: "changed"))) changed.Save(PathOf("changed.safetensors"));
        using (var wider = Build(Spec(items: 31))) wider.Save(PathOf("wider.safetensors"));
        using var model = Build(Spec());
        var before = model.GetWeights("scores", "h3").Data;
        Assert.Contains("'Other', not 'TestNetwork'", Assert.Throws<CheckpointFormatException>(() => model.Load(PathOf("other.safetensors"))).Message);
        Assert.Contains("different definition", Assert.Throws<CheckpointFormatException>(() => model.Load(PathOf("changed.safetensors"))).Message);
        var shape = Assert.Throws<CheckpointFormatException>(() => model.Load(PathOf("wider.safetensors")));
        Assert.Contains("shape", shape.Message);
        Assert.NotNull(shape.Tensor);
        Assert.Equal(before, model.GetWeights("scores", "h3").Data);
        Assert.Equal(0, model.Step);
    }

    [Fact]
    public void AnotherOptimizersStateIsRejected()
    {
        var spec = Spec() with { Optimizer = new OptimizerSpec(OptimizerKind.Sgd, 0.1f) };
        using (var sgd = new TestModel(spec, KernelsFor(spec, typeof(PlainSgd)))) sgd.Save(PathOf("sgd.safetensors"));
        using var model = Build(Spec());
        Assert.Contains("Sgd", Assert.Throws<CheckpointFormatException>(() => model.Load(PathOf("sgd.safetensors"))).Message);
    }

    [Fact]
    public void TruncatedAndCorruptedFilesAreRejectedWithTheFileNamed()
    {
        using var model = Build(Spec());
        model.Save(PathOf("good.safetensors"));
        var bytes = File.ReadAllBytes(PathOf("good.safetensors"));
        File.WriteAllBytes(PathOf("truncated.safetensors"), bytes[..(bytes.Length - 100)]);
        var corrupted = (byte[])bytes.Clone();
        corrupted[12] = (byte)'#';
        File.WriteAllBytes(PathOf("corrupted.safetensors"), corrupted);
        File.WriteAllBytes(PathOf("empty.safetensors"), Array.Empty<byte>());
        foreach (var name in new[] { "truncated", "corrupted", "empty" })
        {
            var e = Assert.Throws<CheckpointFormatException>(() => model.Load(PathOf($"{name}.safetensors")));
            Assert.Contains($"{name}.safetensors", e.Message);
        }
        Assert.Throws<FileNotFoundException>(() => model.Load(PathOf("missing.safetensors")));
    }

    [Fact]
    public void SavingOverAnExistingCheckpointReplacesItAtomically()
    {
        using var model = Build(Spec());
        model.Save(PathOf("same.safetensors"));
        model.Train(Data(), new TrainingOptions { Epochs = 1 });
        model.Save(PathOf("same.safetensors"));
        Assert.DoesNotContain(Directory.GetFiles(_directory), f => !f.EndsWith(".safetensors", StringComparison.Ordinal));
        using var loaded = Build(Spec());
        loaded.Load(PathOf("same.safetensors"));
        Assert.Equal(model.Step, loaded.Step);
    }

    private static List<double> Losses(TestModel model, NetworkData data, int epochs)
    {
        var losses = new List<double>();
        model.Train(data, new TrainingOptions { Epochs = epochs }, new SynchronousProgress(p => losses.Add(p.Loss)));
        return losses;
    }
}
