namespace DestinyDsl.Runtime.Specs;

/// <summary>
/// A learning-rate schedule: the multiplier f applied to the optimizer's learning rate η. Epoch-based kinds hold f
/// for a whole epoch; <see cref="ScheduleKind.InverseTime"/> changes it every step (DSSTNE's per-batch decay).
/// Formulas (docs/semantics.md), with e the zero-based epoch, W = <see cref="WarmupEpochs"/>, s =
/// <see cref="WarmupStart"/>, e' = e − W and t' the steps taken since the warm-up ended:
/// <code>
/// e &lt; W         f = s + (1 − s)·e/W                                      (linear warm-up)
/// constant      f = 1
/// step          f = factor^⌊e'/every⌋
/// exponential   f = factor^e'
/// inverse_time  f = 1 / (1 + decay·t')
/// cosine        f = m + (1 − m)·(1 + cos(π·min(e', T)/T))/2              (m = min_factor, T = epochs)
/// </code>
/// </summary>
/// <param name="Every">step: epochs between decays (≥ 1).</param>
/// <param name="Factor">step and exponential: the multiplier per decay, in (0, 1].</param>
/// <param name="Decay">inverse_time: the per-step decay d ≥ 0.</param>
/// <param name="Epochs">cosine: the period T in epochs (≥ 1), counted after the warm-up; the rate stays at m·η after it.</param>
/// <param name="MinFactor">cosine: the final multiplier m in [0, 1).</param>
/// <param name="WarmupEpochs">Epochs of linear warm-up before the schedule starts (0 = none).</param>
/// <param name="WarmupStart">The multiplier of the first warm-up epoch, in (0, 1].</param>
public sealed record LearningRateScheduleSpec(
    ScheduleKind Kind,
    int Every = 1,
    float Factor = 1f,
    float Decay = 0f,
    int Epochs = 1,
    float MinFactor = 0f,
    int WarmupEpochs = 0,
    float WarmupStart = 1f)
{
    /// <summary>
    /// The multiplier f for the update at global step <paramref name="step"/> of epoch <paramref name="epoch"/>
    /// (zero-based, counted since the model was created). Computed in double from the spec's float values.
    /// </summary>
    /// <param name="stepsPerEpoch">Mini-batches per epoch; only inverse_time after a warm-up reads it (to count t' from the end of the warm-up).</param>
    public double Multiplier(long epoch, long step, long stepsPerEpoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epochs count from 0.");
        if (epoch < WarmupEpochs) return WarmupStart + ((1.0 - WarmupStart) * epoch / WarmupEpochs);
        var e = epoch - WarmupEpochs;
        switch (Kind)
        {
            case ScheduleKind.Constant:
                return 1.0;
            case ScheduleKind.Step:
                return Math.Pow(Factor, e / Math.Max(1, Every));
            case ScheduleKind.Exponential:
                return Math.Pow(Factor, e);
            case ScheduleKind.InverseTime:
                var t = Math.Max(0, step - ((long)WarmupEpochs * stepsPerEpoch));
                return 1.0 / (1.0 + ((double)Decay * t));
            case ScheduleKind.Cosine:
                var period = Math.Max(1, Epochs);
                var progress = (double)Math.Min(e, period) / period;
                return MinFactor + ((1.0 - MinFactor) * (1.0 + Math.Cos(Math.PI * progress)) / 2.0);
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown schedule.");
        }
    }

    /// <summary>Checks the values the language checks, for specs built in code (the trainer calls it once per run).</summary>
    public void Validate()
    {
        static void Require(bool ok, string what) { if (!ok) throw new ArgumentException("Learning-rate schedule: " + what); }
        Require(Enum.IsDefined(Kind), $"unknown kind {Kind}.");
        Require(WarmupEpochs >= 0, $"warmup must be 0 or more, found {WarmupEpochs}.");
        Require(WarmupEpochs == 0 || (WarmupStart > 0 && WarmupStart <= 1), $"warmup_start must be in (0, 1], found {WarmupStart}.");
        switch (Kind)
        {
            case ScheduleKind.Step:
                Require(Every >= 1, $"every must be a positive number of epochs, found {Every}.");
                Require(Factor > 0 && Factor <= 1, $"factor must be in (0, 1], found {Factor}.");
                break;
            case ScheduleKind.Exponential:
                Require(Factor > 0 && Factor <= 1, $"factor must be in (0, 1], found {Factor}.");
                break;
            case ScheduleKind.InverseTime:
                Require(Decay >= 0 && float.IsFinite(Decay), $"decay must be 0 or more, found {Decay}.");
                break;
            case ScheduleKind.Cosine:
                Require(Epochs >= 1, $"epochs must be a positive number of epochs, found {Epochs}.");
                Require(MinFactor >= 0 && MinFactor < 1, $"min_factor must be in [0, 1), found {MinFactor}.");
                break;
        }
    }
}
