using System.Runtime.Intrinsics;
using DestinyDsl.Runtime.Kernels.Blas;
using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Tests.Kernels;

/// <summary>Random inputs, the kernel configurations every test runs under, and tolerance checks.</summary>
internal static class KernelTestData
{
    /// <summary>Every register width this machine can run (512 only with AVX-512), 1 = scalar.</summary>
    public static int[] Widths { get; } = Vector512.IsHardwareAccelerated ? [512, 256, 128, 1] : Vector256.IsHardwareAccelerated ? [256, 128, 1] : [128, 1];

    public static float[] RandomFloats(Random random, long count, float scale = 1f)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        }
        return values;
    }

    /// <summary>Runs <paramref name="action"/> with a forced width, a thread limit and (optionally) tiny GEMM blocks on this thread.</summary>
    public static void With(int width, int threads, bool smallBlocks, Action action, long prepackLimit = 0)
    {
        SimdWidth.Forced = width;
        if (smallBlocks)
        {
            // Many items, several k blocks and several B blocks per item even on small shapes.
            GemmTuning.KBlock = 37;
            GemmTuning.ColumnBlock = 40;
            GemmTuning.MaxRowsPerItem = 30;
        }
        GemmTuning.MinFlopsPerThread = 1;
        GemmTuning.PrepackLimit = prepackLimit;
        try
        {
            using var scope = Runtime.Kernels.Threading.KernelThreads.Limit(threads);
            action();
        }
        finally
        {
            SimdWidth.Forced = 0;
            GemmTuning.Reset();
        }
    }

    /// <summary>Asserts bitwise equality, naming the first differing element.</summary>
    public static void AssertBitwiseEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} bit for bit.");
            }
        }
    }
}
