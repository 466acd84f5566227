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
}
