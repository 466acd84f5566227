using System.Diagnostics;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Runtime.Engine;

/// <summary>The settings of one Train call, resolved from the model's spec and the call's overrides.</summary>
internal sealed record TrainingRun(int Epochs, int Batch, int? Patience, bool RestoreBest = false);

/// <summary>What one shard's training loop did (every shard returns the same numbers).</summary>
internal sealed record ShardTrainingResult(List<EpochSummary> Epochs, long Steps, bool StoppedEarly, bool Cancelled, TrainingPosition Position, double SamplesPerSecond, int? RestoredEpoch = null);

/// <summary>
/// The training loop of one shard (SPMD: every shard runs it in lockstep, meeting in the collectives). A stop
/// request (cancellation) is agreed on by all shards through the per-step loss all-reduce, so they always stop after
/// the same step. Progress goes to the first shard of each process (the caller passes it to that one only).
/// </summary>
internal static class ShardTrainer
{
    private const int ThroughputWindow = 20;

    public static ShardTrainingResult Run(
        IShardBackend engine, ShardData data, ShardData? validation, ShardData? rankingData, RankingValidation? ranking, TrainingRun run, TrainingPosition start,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var spec = engine.Plan.Spec;
        var rows = data.Rows;
        if (rows <= 0) throw AgreedFailure.Mark(new ArgumentException("The training data has no rows."));
        var batchesPerEpoch = (rows + run.Batch - 1) / run.Batch;
        spec.Optimizer.Schedule?.Validate();
        var position = start;
        if (position.BatchInEpoch >= batchesPerEpoch) position = position with { Epoch = position.Epoch + 1, BatchInEpoch = 0 };
        var epochs = new List<EpochSummary>();
        var clock = Stopwatch.StartNew();
        var recent = new Queue<(long Ticks, int Samples)>();
        recent.Enqueue((clock.ElapsedTicks, 0));
        long stepsThisRun = 0, samplesThisRun = 0;
        var best = double.PositiveInfinity;
        var sinceBest = 0;
        var snapshot = run.RestoreBest ? new ShardSnapshot(engine) : null;
        int? bestEpoch = null;
        var stoppedEarly = false;
        var cancelled = false;

        for (var e = 0; e < run.Epochs && !cancelled && !stoppedEarly; e++)
        {
            var epochClock = Stopwatch.StartNew();
            var learningRate = spec.Optimizer.LearningRate;
            var order = EpochOrder.Of(rows, spec.Training.Shuffle, spec.Training.Seed, position.Epoch);
            double epochLoss = 0;
            long epochSamples = 0;
            for (var batch = position.BatchInEpoch; batch < batchesPerEpoch; batch++)
            {
                var first = batch * run.Batch;
                var size = Math.Min(run.Batch, rows - first);
                var batchRows = order.AsSpan(first, size);
                var trafficBefore = CommunicationTraffic.Of(engine.Communicator.Counters);
                engine.LoadBatch(data, batchRows, training: true, position.Epoch, position.Step);
                engine.Forward(size, training: true, position.Step);
                var lossSum = engine.BatchLoss(size, cancellationToken.IsCancellationRequested ? 1 : 0, out var stop);
                if (stop > 0)
                {
                    cancelled = true;
                    break;
                }
                if (!double.IsFinite(lossSum)) throw Diverged(engine, size, position, batch);
                // The scheduled rate is a host scalar of the update context: the CPU sinks and the GPU update kernels read it alike.
                learningRate = spec.Optimizer.LearningRateAt(position.Epoch, position.Step, batchesPerEpoch);
                var weights = WeightContext(spec.Optimizer, size, position.Step + 1, learningRate);
                engine.Backward(size, position.Step, weights, weights with { WeightDecay = 0f, L1Decay = 0f });
                position = position with { Step = position.Step + 1, BatchInEpoch = batch + 1 };
                stepsThisRun++;
                samplesThisRun += size;
                epochLoss += lossSum;
                epochSamples += size;

                recent.Enqueue((clock.ElapsedTicks, size));
                if (recent.Count > ThroughputWindow) recent.Dequeue();
                if (progress is not null)
                {
                    var window = recent.ToArray();
                    var seconds = (double)(window[^1].Ticks - window[0].Ticks) / Stopwatch.Frequency;
                    var samples = window.Skip(1).Sum(w => w.Samples);
                    progress.Report(new TrainingProgress(
                        e, run.Epochs, batch, batchesPerEpoch, position.Step, lossSum / size,
                        seconds > 0 ? samples / seconds : 0, CommunicationTraffic.Of(engine.Communicator.Counters) - trafficBefore, null, learningRate));
                }
            }
            if (cancelled) break;

            double? validationLoss = null;
            if (validation is not null)
            {
                validationLoss = ShardEvaluation.MeanLoss(engine, validation, run.Batch);
                if (validationLoss < best)
                {
                    best = validationLoss.Value;
                    sinceBest = 0;
                    bestEpoch = (int)position.Epoch;
                    snapshot?.Capture();
                }
                else if (run.Patience is { } patience && ++sinceBest >= patience)
                {
                    stoppedEarly = true;
                }
            }
            // Measured before a restore can happen, on this epoch's weights (reported, not used to stop).
            double? precision = rankingData is not null && ranking is not null
                ? ShardEvaluation.PrecisionAtK(engine, rankingData, ranking.HeldOut, ranking.K, run.Batch)
                : null;
            epochs.Add(new EpochSummary((int)position.Epoch, epochSamples > 0 ? epochLoss / epochSamples : double.NaN, validationLoss, epochClock.Elapsed, learningRate, precision));
            if (validationLoss is { } v && progress is not null)
            {
                progress.Report(new TrainingProgress(e, run.Epochs, batchesPerEpoch - 1, batchesPerEpoch, position.Step, epochLoss / Math.Max(1, epochSamples), 0, default, v, learningRate));
            }
            position = new TrainingPosition(position.Step, position.Epoch + 1, 0);
        }
        // The best epoch's weights, when a later one validated worse (every shard restores its own blocks).
        int? restored = null;
        if (snapshot is { HasCapture: true } && !cancelled && epochs.Count > 0 && epochs[^1].Epoch != bestEpoch)
        {
            snapshot.Restore();
            restored = bestEpoch;
        }
        var total = clock.Elapsed.TotalSeconds;
        return new ShardTrainingResult(epochs, stepsThisRun, stoppedEarly, cancelled, position, total > 0 ? samplesThisRun / total : 0, restored);
    }

    /// <summary>The optimizer's per-step values for weights (with weight decay), at this step's scheduled learning rate.</summary>
    public static UpdateContext WeightContext(OptimizerSpec o, int batch, long step, float learningRate) => new(
        learningRate, o.Momentum, o.Decay, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, o.L1Decay,
        1f / batch, step, 1f - MathF.Pow(o.Beta1, step), 1f - MathF.Pow(o.Beta2, step));

    /// <summary>
    /// Every shard gets here at the same step (the loss is all-reduced). The shards then agree on the first layer, in
    /// forward order, that holds a non-finite value on any shard, and on which shards hold one there (one small
    /// all-reduce, only on this path), so every shard throws the same exception naming them.
    /// </summary>
    private static TrainingDivergedException Diverged(IShardBackend engine, int batch, TrainingPosition position, int batchInEpoch)
    {
        var plan = engine.Plan;
        var local = engine.FirstNonFiniteLayer(batch);
        var order = plan.Order.ToList();
        var communicator = engine.Communicator;
        // Per shard: 1 + the position in forward order of its first non-finite layer, 0 for none.
        var firstBad = new double[communicator.Size];
        firstBad[communicator.Rank] = local is null ? 0 : 1 + order.IndexOf(plan.Spec.IndexOf(local));
        if (communicator.Size > 1) communicator.AllReduce(firstBad, Distributed.ReductionOperation.Sum);
        var earliest = firstBad.Where(v => v > 0).DefaultIfEmpty(0).Min();
        var layer = earliest > 0 ? plan.Layer(order[(int)earliest - 1]).Name : "loss";
        var what = layer == "loss" ? "the loss" : $"layer '{layer}'";
        var where = "";
        if (communicator.Size > 1 && earliest > 0)
        {
            var shards = Enumerable.Range(0, firstBad.Length).Where(r => firstBad[r] == earliest).ToArray();
            where = $" on shard{(shards.Length > 1 ? "s" : "")} {string.Join(", ", shards)} of {communicator.Size}";
        }
        return AgreedFailure.Mark(new TrainingDivergedException(
            $"Training diverged: {what} became NaN or infinite{where} at step {position.Step} (epoch {position.Epoch}, batch {batchInEpoch}). " +
            "Lower the learning rate, check the inputs for NaN/huge values, or add max_norm.",
            layer, position.Step, position.Epoch, batchInEpoch));
    }
}
