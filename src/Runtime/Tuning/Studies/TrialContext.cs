using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tuning.Studies;

/// <summary>
/// What an objective sees of its trial: the id, the parameters to evaluate, and <see cref="Report"/> for per-epoch
/// metrics, which tells it when the study's pruner wants it stopped. Thread-safe.
/// </summary>
public sealed class TrialContext
{
    private readonly Func<TrialContext, EpochMetric, bool> _report;
    private readonly List<EpochMetric> _epochs = [];
    private volatile bool _pruned;

    internal TrialContext(int id, TrialParameters parameters, Func<TrialContext, EpochMetric, bool> report, object? slot = null)
    {
        TrialId = id;
        Parameters = parameters;
        _report = report;
        Slot = slot;
    }

    /// <summary>
    /// The devices this trial trains on, its own while it runs: one of <see cref="StudyOptions.DeviceGroups"/>, or, in
    /// a study over an MPI job, the trial's rank group (train the model on it: every rank of the group runs the
    /// objective). Null when the study was given no device groups.
    /// </summary>
    public Distributed.DeviceGroup? Devices => Slot as Distributed.DeviceGroup;

    /// <summary>Where the trial runs (a device group, or the coordinator's handle on a remote worker group); null without slots.</summary>
    internal object? Slot { get; }

    /// <summary>The trial's id (0, 1, 2, … in start order; the same after a resume).</summary>
    public int TrialId { get; }

    /// <summary>The setting to evaluate (apply it to a generated model's options with <see cref="TrialParameters.ApplyTo"/>).</summary>
    public TrialParameters Parameters { get; }

    /// <summary>True once the pruner has asked this trial to stop.</summary>
    public bool ShouldStop => _pruned;

    /// <summary>The metrics reported so far.</summary>
    public IReadOnlyList<EpochMetric> Epochs
    {
        get
        {
            lock (_epochs)
                return _epochs.ToArray();
        }
    }

    /// <summary>
    /// Records the validation metric of an epoch (journaled at once) and asks the pruner. Returns true when the
    /// trial should stop: the objective should then return (any value; the trial is recorded as
    /// <see cref="TrialState.Pruned"/> with the last reported value) or throw <see cref="TrialPrunedException"/>.
    /// </summary>
    /// <param name="epoch">The epoch (1-based by convention; the median rule compares trials epoch by epoch).</param>
    /// <param name="value">The metric, in the study's direction (smaller is better when minimising).</param>
    public bool Report(int epoch, double value)
    {
        var metric = new EpochMetric(epoch, value);
        lock (_epochs)
            _epochs.Add(metric);
        if (_report(this, metric))
            _pruned = true;
        return _pruned;
    }

    /// <summary>Throws <see cref="TrialPrunedException"/> when <see cref="ShouldStop"/>.</summary>
    public void ThrowIfPruned()
    {
        if (_pruned)
            throw new TrialPrunedException($"Trial {TrialId} was pruned.");
    }

    internal double LastValue
    {
        get
        {
            lock (_epochs)
                return _epochs.Count == 0 ? double.NaN : _epochs[^1].Value;
        }
    }
}
