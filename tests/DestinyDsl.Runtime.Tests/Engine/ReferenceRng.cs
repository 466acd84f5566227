namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// The counter-based random draws of docs/semantics.md ("Random draws"), re-implemented from that text for the float64
/// reference: which dropout units and which denoised non-zeros are dropped, and the scale of the survivors, come from
/// here and not from the runtime's <c>DropoutMask</c>/<c>SparseBatch</c>, so a wrong rate, a wrong scale or a wrong
/// key in the runtime disagrees with the reference instead of being shared by both sides.
/// </summary>
internal static class ReferenceRng
{
    public const ulong InitStream = 1, DropoutStream = 2, DenoiseStream = 3, ShuffleStream = 4;

    private static ulong Finalise(ulong z)
    {
        unchecked
        {
            z ^= z >> 30;
            z *= 0xBF58476D1CE4E5B9UL;
            z ^= z >> 27;
            z *= 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>key = F(F(F(seed ⊕ stream·C₀) ⊕ a·C₁) ⊕ b·C₂).</summary>
    public static ulong Key(ulong seed, ulong stream, ulong a, ulong b)
    {
        unchecked
        {
            var k = Finalise(seed ^ (stream * 0xD1B54A32D192ED03UL));
            k = Finalise(k ^ (a * 0xA24BAED4963EE407UL));
            return Finalise(k ^ (b * 0x9FB21C651E98DF25UL));
        }
    }

    /// <summary>u = (top 24 bits of F(key + (counter + 1)·0x9E3779B97F4A7C15)) / 2²⁴, in [0, 1).</summary>
    public static double Uniform(ulong key, ulong counter)
    {
        unchecked
        {
            var bits = Finalise(key + ((counter + 1) * 0x9E3779B97F4A7C15UL));
            return (bits >> 40) / 16777216.0;
        }
    }

    /// <summary>Dropout of (row, unit) of layer <paramref name="layer"/> (its index in the network) at training step <paramref name="step"/>: 0 or 1/(1 − p).</summary>
    public static double Dropout(ulong seed, int layer, long step, int width, int row, int unit, double p)
    {
        if (p <= 0) return 1;
        var u = Uniform(Key(seed, DropoutStream, (ulong)layer, (ulong)step), ((ulong)row * (ulong)width) + (ulong)unit);
        return u < p ? 0 : 1 / (1 - p);
    }

    /// <summary>Denoising of the non-zero (data row, column) of a sparse input in epoch <paramref name="epoch"/>: 0 (dropped) or 1/(1 − p).</summary>
    public static double Denoise(ulong seed, long epoch, int width, int dataRow, int column, double p)
    {
        if (p <= 0) return 1;
        var u = Uniform(Key(seed, DenoiseStream, (ulong)epoch, 0), ((ulong)dataRow * (ulong)width) + (ulong)column);
        return u < p ? 0 : 1 / (1 - p);
    }
}
