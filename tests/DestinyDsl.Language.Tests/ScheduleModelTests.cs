using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Tests;

/// <summary>The optimizer's <c>schedule = …</c> reaches the model with the defaults of docs/language.md.</summary>
public class ScheduleModelTests
{
    private static readonly Tunable Zero = Tunable.Fixed(0);

    private static ScheduleModel? Schedule(string optimizerArguments, string train = "") =>
        Dnet.Network(Dnet.With($"    optimizer sgd({optimizerArguments})\n    train epochs = 40{train}")).Optimizer.Schedule;

    [Fact]
    public void WithoutAScheduleTheLearningRateIsConstant()
    {
        Assert.Null(Dnet.Network(Dnet.Valid).Optimizer.Schedule);
        Assert.Null(Schedule("learning_rate = 0.1"));
    }

    [Fact]
    public void StepTakesEveryAndFactorWithPyTorchsDefaultFactor()
    {
        var expected = new ScheduleModel(ScheduleKind.Step, Tunable.Fixed(10), Tunable.Fixed(0.1), Zero, null, Zero, Zero, Tunable.Fixed(0.1));
        Assert.Equal(expected, Schedule("schedule = step(every = 10)"));
        Assert.Equal(expected with { Factor = Tunable.Fixed(0.5) }, Schedule("schedule = step(10, 0.5)"));
        Assert.Equal(expected with { Factor = Tunable.Fixed(0.5) }, Schedule("schedule = step(factor = 0.5, every = 10)"));
    }

    [Fact]
    public void EachKindReadsOnlyItsArgumentsAndTheWarmUp()
    {
        Assert.Equal(new ScheduleModel(ScheduleKind.Exponential, Zero, Tunable.Fixed(0.95), Zero, null, Zero, Zero, Tunable.Fixed(0.1)),
            Schedule("schedule = exponential(0.95)"));
        Assert.Equal(new ScheduleModel(ScheduleKind.InverseTime, Zero, Zero, Tunable.Fixed(1e-4), null, Zero, Zero, Tunable.Fixed(0.1)),
            Schedule("schedule = inverse_time(decay = 1e-4)"));
        Assert.Equal(new ScheduleModel(ScheduleKind.Cosine, Zero, Zero, Zero, Tunable.Fixed(30), Tunable.Fixed(0.01), Tunable.Fixed(3), Tunable.Fixed(0.25)),
            Schedule("schedule = cosine(epochs = 30, min_factor = 0.01, warmup = 3, warmup_start = 0.25)"));
        Assert.Equal(new ScheduleModel(ScheduleKind.Constant, Zero, Zero, Zero, null, Zero, Tunable.Fixed(2), Tunable.Fixed(0.1)),
            Schedule("schedule = constant(warmup = 2)"));
    }

    [Fact]
    public void CosineWithoutEpochsFollowsTheTrainingsEpochs()
    {
        var schedule = Schedule("schedule = cosine");
        Assert.NotNull(schedule);
        Assert.Null(schedule!.Epochs);
        Assert.Equal(Zero, schedule.MinFactor);
    }

    [Fact]
    public void EveryOptimizerTakesASchedule()
    {
        foreach (var optimizer in new[] { "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam" })
        {
            var network = Dnet.Network(Dnet.With($"    optimizer {optimizer}(schedule = exponential(0.9))"));
            Assert.Equal(ScheduleKind.Exponential, network.Optimizer.Schedule!.Kind);
        }
    }

    [Fact]
    public void ScheduleNumbersAreTunableUnderTheirPaths()
    {
        var network = Dnet.Network(Dnet.With(
            "    optimizer sgd(schedule = step(every = 5 tune(2 .. 10), factor = 0.5 tune(0.1 .. 1, log), warmup = 1 choice(0, 1, 2), warmup_start = 0.1 tune(0.01 .. 1, log)), learning_rate = 0.1 tune(0.01 .. 1, log))\n    train epochs = 40"));
        Assert.Equal(new[]
        {
            "optimizer.learning_rate", "optimizer.schedule.every", "optimizer.schedule.factor", "optimizer.schedule.warmup", "optimizer.schedule.warmup_start",
        }, network.SearchSpace.Select(p => p.Path));
        var every = network.SearchSpace.Single(p => p.Path == "optimizer.schedule.every");
        Assert.Equal(new ContinuousRange(2, 10, Log: false, Integer: true), every.Range); // every is an integer setting
        Assert.Equal(every.Range, network.Optimizer.Schedule!.Every.Range);
    }

    [Fact]
    public void TheScheduleEntersTheHashButNetworksWithoutOneKeepTheirs()
    {
        var plain = Dnet.Network(Dnet.With("    optimizer sgd(learning_rate = 0.1)"));
        var step = Dnet.Network(Dnet.With("    optimizer sgd(learning_rate = 0.1, schedule = step(every = 2, factor = 0.5))"));
        var otherFactor = Dnet.Network(Dnet.With("    optimizer sgd(learning_rate = 0.1, schedule = step(every = 2, factor = 0.25))"));
        var reordered = Dnet.Network(Dnet.With("    optimizer sgd(schedule = step(factor = 0.5, every = 2), learning_rate = 0.1)"));
        Assert.NotEqual(plain.SourceHash, step.SourceHash);
        Assert.NotEqual(step.SourceHash, otherFactor.SourceHash);
        Assert.Equal(step.SourceHash, reordered.SourceHash);
        Assert.DoesNotContain("schedule", Binding.SourceHasher.Canonical(plain));
    }

    [Fact]
    public void TheNamesOfOtherLibrariesPointAtTheSchedule()
    {
        var compilation = Dnet.Compile(Dnet.With("    optimizer sgd(lr_decay = 0.01)"));
        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal("DNET0140", diagnostic.Id);
        Assert.Contains("schedule = inverse_time(decay)", diagnostic.Message);
        var train = Assert.Single(Dnet.Compile(Dnet.With("    train schedule = 3")).Diagnostics);
        Assert.Contains("argument of the optimizer", train.Message);
    }

    [Fact]
    public void AnUnknownScheduleSuggestsTheNearestName()
    {
        var diagnostic = Assert.Single(Dnet.Compile(Dnet.With("    optimizer sgd(schedule = exponentail(0.9))")).Diagnostics);
        Assert.Equal("DNET0100", diagnostic.Id);
        Assert.Contains("exponential", diagnostic.Message);
    }
}
