using System.Runtime.Intrinsics;

namespace DestinyDsl.Runtime.Kernels.Simd;

/// <summary>
/// The register width the runtime's kernels run at: the widest accelerated one unless forced for the calling thread
/// (tests, benchmarks). Every width gives the same results; only speed differs.
/// </summary>
internal static class SimdWidth
{
    [ThreadStatic]
    private static int _forced;

    /// <summary>Forces a width for the calling thread's kernel calls (512, 256 or 128 bits, or 1 for <see cref="Scalar"/>); 0 = automatic.</summary>
    public static int Forced { get => _forced; set => _forced = value; }

    /// <summary>512, 256, 128 or 1: <see cref="Forced"/> if set, else the widest width the hardware accelerates.</summary>
    public static int Current
    {
        get
        {
            var forced = Forced;
            if (forced != 0)
            {
                return forced;
            }
            return Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 1;
        }
    }
}
