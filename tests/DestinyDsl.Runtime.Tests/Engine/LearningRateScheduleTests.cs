using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// The schedules' multipliers per epoch (and per step for inverse_time) against hand-computed tables and against
/// PyTorch's recursive forms of <c>StepLR</c>, <c>ExponentialLR</c>, <c>LinearLR</c> (written independently of the
/// closed forms the runtime uses); and the comparison is shown to tell an off-by-one schedule apart.
/// </summary>
public sealed class LearningRateScheduleTests
{
    private const double Tolerance = 1e-12;

    private static double[] Multipliers(LearningRateScheduleSpec s, int epochs, long stepsPerEpoch = 1)
        => Enumerable.Range(0, epochs).Select(e => s.Multiplier(e, e * stepsPerEpoch, stepsPerEpoch)).ToArray();

    private static bool Agree(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
        => expected.Count == actual.Count && expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) <= Tolerance * Math.Max(1, Math.Abs(p.First)));

    private static void AssertAgree(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
        => Assert.True(Agree(expected, actual), $"expected [{string.Join(", ", expected)}]\n  actual [{string.Join(", ", actual)}]");

    /// <summary>PyTorch's StepLR.get_lr: multiply by γ whenever the epoch is a positive multiple of step_size.</summary>
    private static double[] StepLrRecursive(double gamma, int stepSize, int epochs)
    {
        var lr = new double[epochs];
        for (var e = 0; e < epochs; e++) lr[e] = e == 0 ? 1 : e % stepSize == 0 ? lr[e - 1] * gamma : lr[e - 1];
        return lr;
    }

    /// <summary>PyTorch's LinearLR.get_lr (recursive, end_factor 1) for the warm-up epochs, then 1.</summary>
    private static double[] LinearLrRecursive(double start, int total, int epochs)
    {
        var lr = new double[epochs];
        for (var e = 0; e < epochs; e++)
        {
            if (e == 0) lr[e] = start;
            else if (e > total) lr[e] = lr[e - 1];
            else lr[e] = lr[e - 1] * (1 + ((1 - start) / ((total * start) + ((e - 1) * (1 - start)))));
        }
        return lr;
    }

    [Fact]
    public void StepHalvesEveryThirdEpochLikeStepLR()
    {
        var schedule = new LearningRateScheduleSpec(ScheduleKind.Step, Every: 3, Factor: 0.5f);
        AssertAgree(new[] { 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125 }, Multipliers(schedule, 10));
        var gamma = (double)0.3f;
        AssertAgree(StepLrRecursive(gamma, 4, 17), Multipliers(new LearningRateScheduleSpec(ScheduleKind.Step, Every: 4, Factor: 0.3f), 17));
    }

    [Fact]
    public void ExponentialMultipliesEveryEpochLikeExponentialLR()
    {
        var gamma = (double)0.9f;
        var expected = new double[25];
        for (var e = 0; e < expected.Length; e++) expected[e] = e == 0 ? 1 : expected[e - 1] * gamma;
        AssertAgree(expected, Multipliers(new LearningRateScheduleSpec(ScheduleKind.Exponential, Factor: 0.9f), 25));
    }

    [Fact]
    public void CosineFollowsCosineAnnealingLRAndHoldsItsMinimumAfterThePeriod()
    {
        var c = Math.Sqrt(0.5) / 2; // (1 + cos(π/4))/2 − 1/2
        AssertAgree(new[] { 1, 0.5 + c, 0.5, 0.5 - c, 0, 0, 0 }, Multipliers(new LearningRateScheduleSpec(ScheduleKind.Cosine, Epochs: 4), 7));
        var m = (double)0.1f;
        AssertAgree(
            new[] { 1, m + ((1 - m) * (0.5 + c)), m + ((1 - m) * 0.5), m + ((1 - m) * (0.5 - c)), m, m },
            Multipliers(new LearningRateScheduleSpec(ScheduleKind.Cosine, Epochs: 4, MinFactor: 0.1f), 6));
    }

    [Fact]
    public void InverseTimeDecaysEveryStepLikeDsstnesDecay()
    {
        var schedule = new LearningRateScheduleSpec(ScheduleKind.InverseTime, Decay: 0.5f);
        var actual = Enumerable.Range(0, 6).Select(t => schedule.Multiplier(t / 3, t, 3)).ToArray();
        AssertAgree(new[] { 1, 1 / 1.5, 1 / 2.0, 1 / 2.5, 1 / 3.0, 1 / 3.5 }, actual);
    }

    [Fact]
    public void WarmUpIsLinearLRThenTheScheduleStartsFromItsFirstEpoch()
    {
        var start = (double)0.25f;
        var warmup = LinearLrRecursive(start, 3, 3);
        AssertAgree(new[] { 0.25, 0.5, 0.75 }, warmup);
        // SequentialLR([LinearLR(start, 3), StepLR(2, 0.5)], milestones=[3]).
        var expected = warmup.Concat(StepLrRecursive(0.5, 2, 7)).ToArray();
        AssertAgree(expected, Multipliers(new LearningRateScheduleSpec(ScheduleKind.Step, Every: 2, Factor: 0.5f, WarmupEpochs: 3, WarmupStart: 0.25f), 10));
        // inverse_time counts its steps from the end of the warm-up.
        var inverse = new LearningRateScheduleSpec(ScheduleKind.InverseTime, Decay: 0.5f, WarmupEpochs: 2, WarmupStart: 0.25f);
        Assert.Equal(0.25, inverse.Multiplier(0, 4, 5), Tolerance);
        Assert.Equal(0.625, inverse.Multiplier(1, 9, 5), Tolerance);
        Assert.Equal(1, inverse.Multiplier(2, 10, 5), Tolerance);
        Assert.Equal(1 / 1.5, inverse.Multiplier(2, 11, 5), Tolerance);
        Assert.Equal(1 / 3.5, inverse.Multiplier(3, 15, 5), Tolerance);
    }

    [Fact]
    public void TheComparisonTellsAnOffByOneScheduleApart()
    {
        // Were the runtime to decay one epoch early (⌊(e+1)/N⌋) or end the warm-up one epoch early, these tests would fail.
        var early = Enumerable.Range(0, 10).Select(e => Math.Pow(0.5, (e + 1) / 3)).ToArray();
        Assert.False(Agree(StepLrRecursive(0.5, 3, 10), early));
        var shortWarmup = Enumerable.Range(0, 3).Select(e => 0.25 + (0.75 * e / 2)).ToArray();
        Assert.False(Agree(LinearLrRecursive(0.25, 3, 3), shortWarmup));
        var periodic = Enumerable.Range(0, 7).Select(e => (1 + Math.Cos(Math.PI * e / 4)) / 2).ToArray(); // no hold after T
        Assert.False(Agree(Multipliers(new LearningRateScheduleSpec(ScheduleKind.Cosine, Epochs: 4), 7), periodic));
    }

    [Fact]
    public void TheRateIsTheOptimizersRateTimesTheMultiplierRoundedOnce()
    {
        var optimizer = new OptimizerSpec(OptimizerKind.Sgd, 0.3f, Schedule: new LearningRateScheduleSpec(ScheduleKind.Exponential, Factor: 0.7f));
        for (var e = 0; e < 5; e++) Assert.Equal((float)(0.3f * Math.Pow(0.7f, e)), optimizer.LearningRateAt(e, 100 * e, 100));
        Assert.Equal(0.3f, new OptimizerSpec(OptimizerKind.Sgd, 0.3f).LearningRateAt(7, 700, 100));
    }

    [Theory]
    [InlineData(ScheduleKind.Step, 0, 0.5f, 0f, 1, 0f, 0, 1f)]
    [InlineData(ScheduleKind.Step, 2, 1.5f, 0f, 1, 0f, 0, 1f)]
    [InlineData(ScheduleKind.Exponential, 1, 0f, 0f, 1, 0f, 0, 1f)]
    [InlineData(ScheduleKind.InverseTime, 1, 1f, -1f, 1, 0f, 0, 1f)]
    [InlineData(ScheduleKind.Cosine, 1, 1f, 0f, 0, 0f, 0, 1f)]
    [InlineData(ScheduleKind.Cosine, 1, 1f, 0f, 5, 1f, 0, 1f)]
    [InlineData(ScheduleKind.Constant, 1, 1f, 0f, 1, 0f, -1, 1f)]
    [InlineData(ScheduleKind.Constant, 1, 1f, 0f, 1, 0f, 2, 0f)]
    public void ValuesTheLanguageRejectsAreRejectedInCodeToo(ScheduleKind kind, int every, float factor, float decay, int epochs, float minFactor, int warmup, float warmupStart)
    {
        var schedule = new LearningRateScheduleSpec(kind, every, factor, decay, epochs, minFactor, warmup, warmupStart);
        Assert.Throws<ArgumentException>(schedule.Validate);
    }
}
