using DestinyDsl.Runtime.Gpu.Native;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace DestinyDsl.Runtime.Gpu.Blas;

/// <summary>Chooses the product implementation for an accelerator.</summary>
internal static class GpuBlas
{
    /// <summary>
    /// cuBLAS on a <see cref="CudaAccelerator"/> (TF32 tensor cores when <paramref name="tf32"/>), the tiled kernel
    /// elsewhere. Where cuBLAS cannot be loaded the tiled kernel is used instead, and its <see cref="IGpuBlas.Name"/>
    /// says why (the files tried), so that a slow run is explained in the log rather than failing outright.
    /// </summary>
    public static IGpuBlas Create(Accelerator accelerator, bool tf32)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (accelerator is CudaAccelerator cuda)
        {
            try
            {
                return new CuBlasGemm(cuda, tf32);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or CuBlasException)
            {
                return new TiledGemmBlas(accelerator, $"tiled kernel (cuBLAS unavailable: {CudaLibraries.Describe(CudaLibrary.CuBlas)}; {e.GetType().Name}: {e.Message})");
            }
        }
        return new TiledGemmBlas(accelerator);
    }
}
