using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tuning.Studies;

/// <summary>A trial still running, as a pruner sees it.</summary>
public sealed record RunningTrial(int Id, TrialParameters Parameters, IReadOnlyList<EpochMetric> Epochs);

/// <summary>What a pruner is shown when a trial reports an epoch.</summary>
/// <param name="TrialId">The trial that reported.</param>
/// <param name="Epoch">The epoch just reported.</param>
/// <param name="History">The trial's metrics so far, the one just reported last.</param>
/// <param name="Finished">Every finished trial of the study (replayed ones included).</param>
/// <param name="Running">The other trials still running, with their metrics so far.</param>
/// <param name="Direction">Whether smaller or larger metric values are better.</param>
public sealed record PruningContext(
    int TrialId,
    int Epoch,
    IReadOnlyList<EpochMetric> History,
    IReadOnlyList<TrialRecord> Finished,
    IReadOnlyList<RunningTrial> Running,
    OptimizationDirection Direction)
{
    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public bool Better(double a, double b) => Direction == OptimizationDirection.Minimize ? a < b : a > b;

    /// <summary>The best finite value of <paramref name="metrics"/> up to and including <paramref name="epoch"/>, or NaN.</summary>
    public double BestUpTo(IReadOnlyList<EpochMetric> metrics, int epoch)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var best = double.NaN;
        foreach (var m in metrics)
            if (m.Epoch <= epoch && double.IsFinite(m.Value) && (double.IsNaN(best) || Better(m.Value, best)))
                best = m.Value;
        return best;
    }
}

/// <summary>Decides, at each reported epoch, whether a running trial should stop early.</summary>
public interface IPruner
{
    /// <summary>
    /// True to stop the trial that has just reported an epoch. Called under the study's lock (never concurrently);
    /// the context's lists are valid only during the call.
    /// </summary>
    bool ShouldPrune(PruningContext context);
}

/// <summary>
/// The median stopping rule (Golovin et al. 2017, Google Vizier): stop a trial at epoch e when its best value so far
/// is worse than the median of the values the <see cref="TrialState.Completed"/> trials reported at epoch e. Nothing
/// is pruned before epoch <see cref="WarmupEpochs"/>, nor while fewer than <see cref="MinTrials"/> completed trials
/// reported epoch e. A non-finite value (the trial diverged) is pruned as soon as the rule applies.
/// </summary>
/// <param name="MinTrials">Completed trials with a value at the epoch needed before the rule applies (default 3).</param>
/// <param name="WarmupEpochs">First epoch at which a trial may be stopped (default 1: from the first report on).</param>
public sealed record MedianPruner(int MinTrials = 3, int WarmupEpochs = 1) : IPruner
{
    /// <inheritdoc />
    public bool ShouldPrune(PruningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var epoch = context.Epoch;
        if (epoch < WarmupEpochs || context.History.Count == 0)
            return false;
        var values = new List<double>();
        foreach (var t in context.Finished)
        {
            if (t.State != TrialState.Completed)
                continue;
            foreach (var m in t.Epochs)
                if (m.Epoch == epoch && double.IsFinite(m.Value))
                {
                    values.Add(m.Value);
                    break;
                }
        }
        if (values.Count < Math.Max(1, MinTrials))
            return false;
        if (!double.IsFinite(context.History[^1].Value))
            return true;
        var best = context.BestUpTo(context.History, epoch);
        values.Sort();
        var n = values.Count;
        var median = n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
        return context.Better(median, best);
    }
}

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2020): rungs at epochs <c>MinEpochs·η^k</c>; a trial reaching a
/// rung goes on only if its best value so far is among the best ⌊n/η⌋ (at least the single best) of the n trials
/// that reached that rung — finished (any state) and running alike, itself included. Decisions are made as trials
/// arrive, never waiting for a full bracket. No decision while fewer than <see cref="MinTrials"/> trials reached the
/// rung. A non-finite value at a rung is pruned.
/// </summary>
/// <param name="MinEpochs">The first rung (default 1).</param>
/// <param name="ReductionFactor">η ≥ 2 (default 3): one trial in η is promoted past each rung.</param>
/// <param name="MinTrials">Trials at a rung (this one included) needed before it prunes anything (default η).</param>
public sealed record SuccessiveHalvingPruner(int MinEpochs = 1, int ReductionFactor = 3, int MinTrials = 0) : IPruner
{
    /// <inheritdoc />
    public bool ShouldPrune(PruningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ReductionFactor < 2 || MinEpochs < 1)
            throw new InvalidOperationException("SuccessiveHalvingPruner needs MinEpochs ≥ 1 and ReductionFactor ≥ 2.");
        var epoch = context.Epoch;
        if (!IsRung(epoch) || context.History.Count == 0)
            return false;
        var own = context.BestUpTo(context.History, epoch);
        var values = new List<double>();
        foreach (var t in context.Finished)
            Add(t.Epochs);
        foreach (var r in context.Running)
            Add(r.Epochs);
        var n = values.Count + 1;
        if (n < (MinTrials > 0 ? MinTrials : ReductionFactor))
            return false;
        if (double.IsNaN(own))
            return true;
        var better = values.Count(v => context.Better(v, own));
        return better >= Math.Max(1, n / ReductionFactor);

        void Add(IReadOnlyList<EpochMetric> metrics)
        {
            if (!metrics.Any(m => m.Epoch == epoch))
                return; // did not reach this rung
            var v = context.BestUpTo(metrics, epoch);
            if (!double.IsNaN(v))
                values.Add(v);
        }
    }

    /// <summary>True when <paramref name="epoch"/> is a rung: MinEpochs·η^k.</summary>
    public bool IsRung(int epoch)
    {
        if (epoch < MinEpochs)
            return false;
        long rung = MinEpochs;
        while (rung < epoch)
            rung *= ReductionFactor;
        return rung == epoch;
    }
}
