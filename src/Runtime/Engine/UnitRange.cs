namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// The units of a layer that one shard owns: <c>[N·r/P, N·(r+1)/P)</c> (DSSTNE's rule; uneven widths give some
/// shards one unit more, and a shard may own none when N &lt; P).
/// </summary>
internal readonly record struct UnitRange(int Start, int End)
{
    /// <summary>Number of units.</summary>
    public int Count => End - Start;

    /// <summary>Shard <paramref name="rank"/>'s range of a width-<paramref name="width"/> layer split <paramref name="shards"/> ways.</summary>
    public static UnitRange Of(int width, int shards, int rank)
        => new((int)((long)width * rank / shards), (int)((long)width * (rank + 1) / shards));

    /// <summary>Every shard's unit count for a layer of <paramref name="width"/> (the counts of a gather or scatter, per row).</summary>
    public static int[] Counts(int width, int shards)
    {
        var counts = new int[shards];
        for (var r = 0; r < shards; r++) counts[r] = Of(width, shards, r).Count;
        return counts;
    }
}
