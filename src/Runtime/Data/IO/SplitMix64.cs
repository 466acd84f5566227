namespace DestinyDsl.Runtime.Data.IO;

/// <summary>
/// SplitMix64: a tiny, fast, statistically sound generator. The data code derives one stream per (seed, purpose,
/// row) with <see cref="Derive"/>, so results depend only on the seed and the row, never on thread count or the
/// order rows are processed in.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator for one (seed, stream, index) triple, well separated from its neighbours.</summary>
    public static SplitMix64 Derive(ulong seed, ulong stream, ulong index)
        => new(Mix(Mix(seed ^ Mix(stream + 0x9E3779B97F4A7C15UL)) + index));

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1]: safe to take the logarithm of.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, bound) (Lemire's multiply-shift; the bias is below 2^-32 for the bounds used here).</summary>
    public int NextInt(int bound) => (int)((NextUInt64() >> 32) * (ulong)bound >> 32);

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian() => Math.Sqrt(-2 * Math.Log(NextOpenDouble())) * Math.Cos(2 * Math.PI * NextDouble());
}
