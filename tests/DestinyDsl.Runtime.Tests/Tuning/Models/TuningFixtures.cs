using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Tests.Tuning.Studies;
using DestinyDsl.Runtime.Tuning.Models;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tests.Tuning.Models;

/// <summary>Small synthetic interactions split like the example, and fast tuning settings.</summary>
internal static class TuningFixtures
{
    /// <summary>300 users × 120 items; Test is a per-user hold-out the tuner must never see.</summary>
    public static (SparseMatrix All, SparseMatrix Train, SparseMatrix Test) Data { get; } = Create();

    /// <summary>Few trials, one at a time, fast optimiser settings, no pruning unless a test asks for it.</summary>
    public static ModelTuningSettings Fast(int trials = 4) => new()
    {
        Trials = trials,
        Optimizer = StudyFixtures.Fast(seed: 3),
        Pruner = null,
    };

    private static (SparseMatrix, SparseMatrix, SparseMatrix) Create()
    {
        var all = SyntheticInteractions.Generate(new SyntheticOptions { Users = 300, Items = 120, MinHistory = 8, MedianHistory = 20 }).Matrix;
        var (train, test) = HoldOutSplit.Split(all, 0.2, seed: 2016, minItems: 5);
        return (all, train, test);
    }
}

/// <summary>Stops every trial but the defaults' at a fixed epoch: a pruner whose decisions a test can predict.</summary>
internal sealed class PruneAtEpoch(int epoch) : IPruner
{
    public bool ShouldPrune(PruningContext context) => context.TrialId != ModelTuner.DefaultsTrialId && context.Epoch >= epoch;
}

/// <summary>Records the tuner's events.</summary>
internal sealed class RecordingObserver : ITuningObserver
{
    private readonly Lock _gate = new();

    public List<int> Started { get; } = [];

    public List<(int Trial, int Epoch, double Value)> Epochs { get; } = [];

    public List<TrialRecord> Finished { get; } = [];

    public TrialParameters? Retrained { get; private set; }

    public void TrialStarted(int trialId, TrialParameters parameters)
    {
        lock (_gate) Started.Add(trialId);
    }

    public void EpochReported(int trialId, int epoch, double value)
    {
        lock (_gate) Epochs.Add((trialId, epoch, value));
    }

    public void TrialFinished(TrialRecord record)
    {
        lock (_gate) Finished.Add(record);
    }

    public void RetrainingStarted(TrialParameters parameters) => Retrained = parameters;
}
