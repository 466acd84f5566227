namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>Deterministic inputs shared by the benchmarks (allocated once per process).</summary>
public static class BenchmarkData
{
    private static readonly Dictionary<(string, long), float[]> Cache = [];

    /// <summary>A uniform array kept for the whole run under <paramref name="key"/> (big operands are allocated once).</summary>
    public static float[] Shared(string key, long count, int seed)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue((key, count), out var values))
            {
                Cache[(key, count)] = values = Uniform(count, seed);
            }
            return values;
        }
    }

    public static float[] Uniform(long count, int seed, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = low + ((high - low) * random.NextSingle());
        }
        return values;
    }
}
