using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// The trainer applies the schedule's rate to every update (it is the update context's learning rate, which the CPU
/// sinks and the GPU kernels read), reports it, and a run resumed from a checkpoint continues bit for bit.
/// </summary>
public sealed class ScheduledTrainingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("destinydsl-schedule-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A model whose spec may be replaced between calls, as generated models re-read their options.</summary>
    private sealed class SwitchableModel(NetworkSpec spec, KernelSet kernels) : Model(spec, kernels)
    {
        public NetworkSpec Next { get; set; } = spec;

        protected override NetworkSpec RefreshSpec() => Next;
    }

    private static NetworkSpec Spec(OptimizerSpec optimizer, int batch = 10) => Network(
        new[]
        {
            Input("items", 30, sparse: true),
            Hidden("h1", 7, ActivationKind.Sigmoid, new[] { "items" }, dropout: 0.1f),
            Output("scores", 30, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true),
        },
        new LossSpec(LossKind.ScaledMarginalCrossEntropy, 1f, 0f, 1f, 1f), optimizer, batch: batch, epochs: 4, shuffle: true, denoising: 0.1f);

    private static NetworkData Data() => new NetworkData().Add("items", RandomSparse(45, 30, 5, 3));

    private static List<TrainingProgress> Train(Model model, NetworkData data, int epochs, List<EpochSummary>? summaries = null)
    {
        var steps = new List<TrainingProgress>();
        var report = model.Train(data, new TrainingOptions { Epochs = epochs }, new SynchronousProgress(steps.Add));
        summaries?.AddRange(report.Epochs);
        return steps;
    }

    [Fact]
    public void AStepScheduleTrainsLikeLoweringTheRateByHandBetweenEpochs()
    {
        var data = Data();
        var scheduled = Spec(new OptimizerSpec(OptimizerKind.Sgd, 0.4f, Schedule: new LearningRateScheduleSpec(ScheduleKind.Step, Every: 1, Factor: 0.5f)));
        using var automatic = new TestModel(scheduled, KernelsFor(scheduled, typeof(PlainSgd)));
        Train(automatic, data, 3);

        var constant = Spec(new OptimizerSpec(OptimizerKind.Sgd, 0.4f));
        using var manual = new SwitchableModel(constant, KernelsFor(constant, typeof(PlainSgd)));
        foreach (var rate in new[] { 0.4f, 0.4f * 0.5f, 0.4f * 0.25f })
        {
            manual.Next = manual.Spec with { Optimizer = new OptimizerSpec(OptimizerKind.Sgd, rate) };
            Train(manual, data, 1);
        }
        using var unscheduled = new TestModel(constant, KernelsFor(constant, typeof(PlainSgd)));
        Train(unscheduled, data, 3);

        Assert.Equal(manual.GetWeights("scores", "h1").Data, automatic.GetWeights("scores", "h1").Data);
        Assert.Equal(manual.GetWeights("h1", "items").Data, automatic.GetWeights("h1", "items").Data);
        Assert.Equal(manual.GetBias("scores"), automatic.GetBias("scores"));
        Assert.NotEqual(unscheduled.GetWeights("scores", "h1").Data, automatic.GetWeights("scores", "h1").Data);
    }

    [Fact]
    public void TheProgressAndTheReportShowTheRateOfEachStep()
    {
        var data = Data();
        var optimizer = new OptimizerSpec(OptimizerKind.Sgd, 0.2f,
            Schedule: new LearningRateScheduleSpec(ScheduleKind.InverseTime, Decay: 0.1f, WarmupEpochs: 1, WarmupStart: 0.5f));
        var spec = Spec(optimizer);
        using var model = new TestModel(spec, KernelsFor(spec, typeof(PlainSgd)));
        var summaries = new List<EpochSummary>();
        var steps = Train(model, data, 3, summaries);
        const int stepsPerEpoch = 5; // 45 rows, batch 10
        Assert.Equal(3 * stepsPerEpoch, steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var epoch = i / stepsPerEpoch;
            var expected = epoch == 0 ? 0.2f * 0.5f : (float)(0.2f / (1 + (0.1f * (double)(i - stepsPerEpoch))));
            Assert.Equal(expected, steps[i].LearningRate);
        }
        Assert.Equal(new[] { steps[4].LearningRate, steps[9].LearningRate, steps[14].LearningRate }, summaries.Select(s => s.LearningRate));
    }

    public static TheoryData<string> Schedules => new(ResumeCases.Keys);

    private static readonly Dictionary<string, LearningRateScheduleSpec> ResumeCases = new()
    {
        ["step every 2 epochs"] = new(ScheduleKind.Step, Every: 2, Factor: 0.3f),
        ["exponential"] = new(ScheduleKind.Exponential, Factor: 0.8f),
        ["inverse_time after a warm-up"] = new(ScheduleKind.InverseTime, Decay: 0.05f, WarmupEpochs: 1, WarmupStart: 0.2f),
        ["cosine after a warm-up"] = new(ScheduleKind.Cosine, Epochs: 3, MinFactor: 0.05f, WarmupEpochs: 2, WarmupStart: 0.1f),
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void ARunResumedFromACheckpointMatchesTheUninterruptedRunBitForBit(string name)
    {
        var spec = Spec(new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f, Schedule: ResumeCases[name]), batch: 8);
        var data = Data();
        using var straight = new TestModel(spec, KernelsFor(spec, typeof(RmsPropRule)));
        var all = Train(straight, data, 5);

        using var first = new TestModel(spec, KernelsFor(spec, typeof(RmsPropRule)));
        var before = Train(first, data, 2);
        var path = Path.Combine(_directory, "resume.safetensors");
        first.Save(path);
        using var resumed = new TestModel(spec, KernelsFor(spec, typeof(RmsPropRule)));
        resumed.Load(path);
        var after = Train(resumed, data, 3);

        var joined = before.Concat(after).ToList();
        Assert.Equal(all.Select(p => p.LearningRate), joined.Select(p => p.LearningRate));
        Assert.Equal(all.Select(p => p.Loss), joined.Select(p => p.Loss));
        Assert.Equal(straight.GetWeights("scores", "h1").Data, resumed.GetWeights("scores", "h1").Data);
        Assert.Equal(straight.GetWeights("h1", "items").Data, resumed.GetWeights("h1", "items").Data);
        Assert.True(all.Select(p => p.LearningRate).Distinct().Count() > 2, "the schedule must change the rate within the run");
    }

    [Fact]
    public void TheCheckpointRecordsTheSchedule()
    {
        var spec = Spec(new OptimizerSpec(OptimizerKind.Sgd, 0.1f, Schedule: new LearningRateScheduleSpec(ScheduleKind.Cosine, Epochs: 7, MinFactor: 0.25f, WarmupEpochs: 2, WarmupStart: 0.5f)));
        using var model = new TestModel(spec, KernelsFor(spec, typeof(PlainSgd)));
        var path = Path.Combine(_directory, "provenance.safetensors");
        model.Save(path);
        using var reader = global::DestinyDsl.Runtime.Checkpoints.Safetensors.SafetensorsFile.Open(path);
        using var json = System.Text.Json.JsonDocument.Parse(reader.Metadata["spec"]);
        var schedule = json.RootElement.GetProperty("optimizer").GetProperty("schedule");
        Assert.Equal("Cosine", schedule.GetProperty("kind").GetString());
        Assert.Equal(7, schedule.GetProperty("epochs").GetInt32());
        Assert.Equal(0.25, schedule.GetProperty("min_factor").GetDouble());
        Assert.Equal(2, schedule.GetProperty("warmup").GetInt32());
    }

    [Fact]
    public void AnInvalidScheduleBuiltInCodeIsRejectedBeforeTraining()
    {
        var spec = Spec(new OptimizerSpec(OptimizerKind.Sgd, 0.1f, Schedule: new LearningRateScheduleSpec(ScheduleKind.Step, Every: 0, Factor: 0.5f)));
        using var model = new TestModel(spec, KernelsFor(spec, typeof(PlainSgd)));
        var error = Assert.Throws<ArgumentException>(() => Train(model, Data(), 1));
        Assert.Contains("every", error.Message);
        Assert.Equal(0, model.Step);
    }
}
