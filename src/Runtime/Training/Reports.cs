namespace DestinyDsl.Runtime.Training;

/// <summary>Progress of a training run, reported after every mini-batch step.</summary>
/// <param name="Epoch">Zero-based epoch.</param>
/// <param name="Step">Global step count (mini-batches done since the model was created or loaded).</param>
/// <param name="Loss">Mean loss per example of this step.</param>
/// <param name="SamplesPerSecond">Throughput over the recent steps.</param>
/// <param name="Traffic">Bytes this rank moved in collectives during the step, per collective.</param>
/// <param name="ValidationLoss">Set on the last step of an epoch when validation data was given.</param>
/// <param name="LearningRate">The learning rate this step's update used (the file's schedule applied).</param>
public readonly record struct TrainingProgress(
    int Epoch, int Epochs, int BatchInEpoch, int BatchesPerEpoch, long Step,
    double Loss, double SamplesPerSecond, CommunicationTraffic Traffic, double? ValidationLoss, float LearningRate = 0f)
{
    /// <summary>All bytes this rank moved in collectives during the step.</summary>
    public long CommunicationBytes => Traffic.Total;
}

/// <summary>
/// Bytes one rank sent in a step, per collective, counted with the ring convention of
/// <see cref="Distributed.CommunicationCounters"/> (the same for every transport; 0 on one device).
/// </summary>
public readonly record struct CommunicationTraffic(long AllGather, long ReduceScatter, long AllReduce, long Broadcast)
{
    /// <summary>Every collective together.</summary>
    public long Total => AllGather + ReduceScatter + AllReduce + Broadcast;

    /// <summary>What the counters hold now.</summary>
    public static CommunicationTraffic Of(Distributed.CommunicationCounters c) => new(c.AllGatherBytes, c.ReduceScatterBytes, c.AllReduceBytes, c.BroadcastBytes);

    /// <summary>The traffic between two snapshots.</summary>
    public static CommunicationTraffic operator -(CommunicationTraffic after, CommunicationTraffic before)
        => new(after.AllGather - before.AllGather, after.ReduceScatter - before.ReduceScatter, after.AllReduce - before.AllReduce, after.Broadcast - before.Broadcast);
}

/// <summary>One finished epoch. <see cref="LearningRate"/>: the rate of its last update (the schedule's rate for the
/// epoch; under inverse_time, which changes it every step, the epoch's lowest). <see cref="ValidationPrecision"/>:
/// precision@K of <see cref="TrainingOptions.Ranking"/> after the epoch (null without one).</summary>
public sealed record EpochSummary(int Epoch, double TrainingLoss, double? ValidationLoss, TimeSpan Elapsed, float LearningRate = 0f, double? ValidationPrecision = null);

/// <summary>
/// What a training run did. <see cref="RestoredEpoch"/>: with early stopping, the epoch whose weights the model ended
/// with because a later one validated worse (null when the last epoch's weights were kept).
/// </summary>
public sealed record TrainingReport(IReadOnlyList<EpochSummary> Epochs, long Steps, bool StoppedEarly, TimeSpan Elapsed, double SamplesPerSecond, int? RestoredEpoch = null);

/// <summary>Ranking quality on held-out items, and loss.</summary>
public sealed record EvaluationReport(double Loss, int K, double PrecisionAtK, double RecallAtK, double NdcgAtK, int UsersEvaluated);

/// <summary>One recommended item: its column and score.</summary>
public readonly record struct Recommendation(int Column, float Score);
