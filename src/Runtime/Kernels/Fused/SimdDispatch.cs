using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// Which register width the fused loops use: the widest the hardware accelerates. The JIT treats these as
/// constants, so each loop compiles to one width plus the <see cref="Scalar"/> tail.
/// </summary>
internal static class SimdDispatch
{
    public static bool Use512 => Simd512.IsHardwareAccelerated;
    public static bool Use256 => !Simd512.IsHardwareAccelerated && Simd256.IsHardwareAccelerated;
    public static bool Use128 => !Simd512.IsHardwareAccelerated && !Simd256.IsHardwareAccelerated && Simd128.IsHardwareAccelerated;
}
