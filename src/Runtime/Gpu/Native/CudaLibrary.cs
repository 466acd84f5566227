namespace DestinyDsl.Runtime.Gpu.Native;

/// <summary>The native CUDA libraries the GPU backend loads (through ILGPU and ILGPU.Algorithms).</summary>
public enum CudaLibrary
{
    /// <summary>The CUDA driver API (libcuda.so.1 / nvcuda.dll), installed with the NVIDIA driver.</summary>
    Driver,

    /// <summary>cuBLAS (libcublas.so.NN / cublas64_NN.dll), from the CUDA toolkit or NVIDIA's wheels.</summary>
    CuBlas,
}
