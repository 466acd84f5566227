namespace DestinyDsl.Runtime.Engine;

/// <summary>The order in which an epoch visits the rows: a Fisher–Yates shuffle keyed by (seed, epoch), the same on every shard.</summary>
internal static class EpochOrder
{
    public static int[] Of(int rows, bool shuffle, ulong seed, long epoch)
    {
        var order = new int[rows];
        for (var i = 0; i < rows; i++) order[i] = i;
        if (!shuffle) return order;
        var key = CounterRng.Key(seed, CounterRng.Stream.Shuffle, (ulong)epoch);
        for (var i = rows - 1; i > 0; i--)
        {
            var j = CounterRng.Below(key, (ulong)i, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
