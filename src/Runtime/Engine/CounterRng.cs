using System.Runtime.CompilerServices;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Counter-based random numbers: every draw is a hash of (stream key, counter), so any element of any random
/// tensor can be computed on its own, on any shard or thread, in any order. That is what makes dropout masks,
/// denoising, initial weights and the epoch shuffle identical on 1 or P shards and on any thread count, and makes
/// a resumed checkpoint continue exactly (the "RNG state" is just the seed and the step/epoch counters).
/// </summary>
/// <remarks>The mixer is SplitMix64's finaliser (<see cref="Data.IO.SplitMix64.Mix"/>, a bijection on 64 bits with full avalanche).</remarks>
internal static class CounterRng
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>What a stream is for; part of every key so streams never overlap.</summary>
    public enum Stream : ulong { Init = 1, Dropout = 2, Denoise = 3, Shuffle = 4 }

    /// <summary>A stream key from the seed, the purpose and up to two further identifiers (layer/edge, step/epoch).</summary>
    public static ulong Key(ulong seed, Stream stream, ulong a = 0, ulong b = 0)
    {
        var k = Mix(seed ^ ((ulong)stream * 0xD1B54A32D192ED03UL));
        k = Mix(k ^ (a * 0xA24BAED4963EE407UL));
        return Mix(k ^ (b * 0x9FB21C651E98DF25UL));
    }

    /// <summary>64 random bits for <paramref name="counter"/> in the stream <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bits(ulong key, ulong counter) => Mix(key + ((counter + 1) * Golden));

    /// <summary>A float uniform in [0, 1) with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Uniform(ulong key, ulong counter) => (Bits(key, counter) >> 40) * (1f / (1 << 24));

    /// <summary>A double uniform in (0, 1) (never 0, so logarithms are finite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double OpenUniform(ulong key, ulong counter) => ((Bits(key, counter) >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>A standard normal draw (Box–Muller on two counter draws).</summary>
    public static double Normal(ulong key, ulong counter)
    {
        var u1 = OpenUniform(key, 2 * counter);
        var u2 = OpenUniform(key, (2 * counter) + 1);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>An integer uniform in [0, <paramref name="bound"/>) (Lemire's multiply-shift; bias below 2⁻³²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Below(ulong key, ulong counter, int bound) => (int)(((Bits(key, counter) >> 32) * (ulong)(uint)bound) >> 32);

    private static ulong Mix(ulong z) => Data.IO.SplitMix64.Mix(z);
}
