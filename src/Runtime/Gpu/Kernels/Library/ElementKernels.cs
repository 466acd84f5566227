using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>Element-wise helpers over a flat view. Implicitly grouped over the element count.</summary>
internal static class ElementKernels
{
    /// <summary><c>dst[i] += src[i]</c>.</summary>
    public static void Add(Index1D i, ArrayView<float> dst, ArrayView<float> src) => dst[i] += src[i];

    /// <summary><c>view[i] = value</c>.</summary>
    public static void Fill(Index1D i, ArrayView<float> view, float value) => view[i] = value;

    /// <summary>
    /// Sets <c>flag[0] = 1</c> when <c>view[i]</c> is NaN or ±∞ (the caller clears the flag first). Tested on the bits
    /// (exponent all ones) rather than with arithmetic such as <c>v − v ≠ 0</c>, which fast math may fold away.
    /// </summary>
    public static void AnyNonFinite(Index1D i, ArrayView<float> view, ArrayView<int> flag)
    {
        if ((ILGPU.Interop.FloatAsInt(view[i]) & 0x7F800000u) == 0x7F800000u) flag[0] = 1;
    }
}
