using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

/// <summary>Forward-only passes over a whole dataset on one shard (no dropout, no denoising).</summary>
internal static class ShardEvaluation
{
    /// <summary>Mean data loss per example (the same on every shard).</summary>
    public static double MeanLoss(IShardBackend engine, ShardData data, int batch)
    {
        var rows = data.Rows;
        if (rows <= 0) throw AgreedFailure.Mark(new ArgumentException("The data has no rows."));
        double total = 0;
        var order = Enumerable.Range(0, rows).ToArray();
        for (var first = 0; first < rows; first += batch)
        {
            var size = Math.Min(batch, rows - first);
            engine.LoadBatch(data, order.AsSpan(first, size), training: false, 0, 0);
            engine.Forward(size, training: false, 0);
            total += engine.BatchLoss(size, 0, out _);
        }
        return total / rows;
    }

    /// <summary>
    /// Precision@k of the top-k unseen items of the only output for every row of <paramref name="data"/> against
    /// <paramref name="heldOut"/> (rows without held-out items skipped). Collective: every shard computes the same value.
    /// </summary>
    public static double PrecisionAtK(IShardBackend engine, ShardData data, Data.SparseMatrix heldOut, int k, int batch)
    {
        var rows = data.Rows;
        var layer = engine.OutputLayer(null);
        var target = engine.Plan.Targets[layer];
        var seen = target >= 0 ? data.FullSparse[target] : null;
        var order = Enumerable.Range(0, rows).ToArray();
        var ranked = new int[rows][];
        for (var first = 0; first < rows; first += batch)
        {
            var size = Math.Min(batch, rows - first);
            var batchRows = order.AsSpan(first, size);
            engine.LoadBatch(data, batchRows, training: false, 0, 0);
            engine.Forward(size, training: false, 0);
            var (columns, _, counts) = engine.TopK(layer, size, k, seen, batchRows);
            for (var b = 0; b < size; b++) ranked[first + b] = columns.AsSpan(b * k, counts[b]).ToArray();
        }
        return Evaluation.RankingMetrics.Compute(ranked, heldOut, k).PrecisionAtK;
    }
}
