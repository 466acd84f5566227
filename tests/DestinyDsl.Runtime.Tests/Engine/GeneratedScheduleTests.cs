using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Tests.Engine.Generated;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>The schedule of a generated model (Schedules.dnet): file defaults, typed options and search paths reach the rate the trainer uses.</summary>
public sealed class GeneratedScheduleTests
{
    private static NetworkData Data() => new NetworkData().Add("items", RandomSparse(30, 20, 4, 5));

    private static float[] EpochRates(Model model, int epochs) =>
        model.Train(Data(), new TrainingOptions { Epochs = epochs }).Epochs.Select(e => e.LearningRate).ToArray();

    [Fact]
    public void TheFilesScheduleIsTheSpecsSchedule()
    {
        using var model = new StepScheduled(itemsWidth: 20);
        Assert.Equal(new LearningRateScheduleSpec(ScheduleKind.Step, Every: 1, Factor: 0.5f, WarmupEpochs: 1, WarmupStart: 0.5f), model.Spec.Optimizer.Schedule);
        Assert.Equal(new[] { 0.1f, 0.2f, 0.1f, 0.05f }, EpochRates(model, 4));
    }

    [Fact]
    public void TypedOptionsAndSearchPathsChangeTheScheduleOfTheNextRun()
    {
        using var model = new StepScheduled(itemsWidth: 20);
        model.Options.WarmupEpochs = 0;
        model.Options.Set("optimizer.schedule.factor", 0.25);
        Assert.Equal(0.25f, model.Options.ScheduleFactor);
        Assert.Equal(new[] { 0.2f, 0.2f * 0.25f }, EpochRates(model, 2));
        Assert.Contains(StepScheduled.SearchSpace.Dimensions, d => d.Path == "optimizer.schedule.factor");
    }

    [Fact]
    public void CosineWithoutAPeriodSpansTheEpochsOption()
    {
        using var model = new CosineOverEpochs(itemsWidth: 20);
        model.Options.Epochs = 2;
        var rates = EpochRates(model, 3);
        Assert.Equal(2, model.Spec.Optimizer.Schedule!.Epochs);
        Assert.Equal(new[] { 0.01f, (float)(0.01f * (0.1f + (0.9f * 0.5))), (float)(0.01f * (double)0.1f) }, rates);
    }
}
