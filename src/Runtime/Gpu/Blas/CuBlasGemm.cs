using DestinyDsl.Runtime.Kernels.Blas;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace DestinyDsl.Runtime.Gpu.Blas;

/// <summary>
/// Products by cuBLAS (ILGPU.Algorithms' <see cref="CuBlas"/>, one handle per accelerator). cuBLAS is column-major:
/// each row-major request runs as the equivalent column-major call (<see cref="ColumnMajorCall"/>).
/// </summary>
/// <remarks>
/// Only testable on a GPU. The handle's stream is per-call state, so calls are serialised and the stream is set only
/// when it changes; the accelerator is bound first because cuBLAS works in the calling thread's current context.
/// </remarks>
internal sealed class CuBlasGemm : IGpuBlas
{
    /// <summary>CUBLAS_TF32_TENSOR_OP_MATH (3): ILGPU's <see cref="CuBlasMathMode"/> names only 0 and 1.</summary>
    internal const CuBlasMathMode Tf32TensorOpMath = (CuBlasMathMode)3;

    private readonly CudaAccelerator _accelerator;
    private readonly CuBlas _blas;
    private readonly Lock _gate = new();
    private CudaStream? _stream;

    /// <summary>
    /// Creates the handle. <paramref name="tf32"/> lets cuBLAS use TF32 tensor cores (10-bit mantissa inputs, FP32
    /// accumulation: faster, less exact); otherwise full FP32. Throws <see cref="DllNotFoundException"/> when no cuBLAS
    /// library loads.
    /// </summary>
    public CuBlasGemm(CudaAccelerator accelerator, bool tf32)
    {
        _accelerator = accelerator ?? throw new ArgumentNullException(nameof(accelerator));
        _blas = new CuBlas(accelerator);
        _stream = _blas.Stream;
        var mode = "FP32";
        if (tf32)
        {
            // A new handle computes in full FP32 (CUBLAS_DEFAULT_MATH); cuBLAS before 11 rejects mode 3, and then the
            // products stay FP32 rather than losing cuBLAS altogether.
            try
            {
                _blas.MathMode = Tf32TensorOpMath;
                mode = "TF32";
            }
            catch (CuBlasException)
            {
                mode = "FP32, TF32 not supported";
            }
        }
        Name = $"cuBLAS {_blas.Version} ({mode})";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void Gemm(
        AcceleratorStream stream, bool transposeA, bool transposeB, int m, int n, int k,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb,
        bool accumulate, ArrayView<float> c, int ldc)
    {
        var cudaStream = stream as CudaStream ?? throw new ArgumentException($"cuBLAS needs a CUDA stream, got {stream?.GetType().Name ?? "null"}.", nameof(stream));
        GemmArguments.Check("CuBlas", transposeA, transposeB, m, n, k, Length(a), lda, Length(b), ldb);
        GemmArguments.CheckMatrix("CuBlas", "c", "C", m, n, Length(c), ldc, transposed: false);
        if (m == 0 || n == 0) return;

        var call = ColumnMajorCall.From(transposeA, transposeB, m, n, k, lda, ldb, accumulate, ldc);
        var first = call.First == GemmOperand.A ? a : b;
        var second = call.Second == GemmOperand.A ? a : b;
        lock (_gate)
        {
            _accelerator.Bind();
            if (!ReferenceEquals(_stream, cudaStream))
            {
                _blas.Stream = cudaStream;
                _stream = cudaStream;
            }
            _blas.Gemm(
                Operation(call.TransposeFirst), Operation(call.TransposeSecond), call.M, call.N, call.K,
                1f, first, call.LdFirst, second, call.LdSecond, call.Beta, c, call.Ldc);
        }
    }

    /// <summary>Destroys the handle (in the accelerator's context).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _accelerator.Bind();
            _blas.Dispose();
        }
    }

    private static CuBlasOperation Operation(bool transpose) => transpose ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose;

    private static int Length(ArrayView<float> view) => (int)Math.Min(view.Length, int.MaxValue);
}
