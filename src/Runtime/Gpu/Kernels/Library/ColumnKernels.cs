using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>
/// Per-column reductions and scalings of a row-major [rows][n] buffer. One thread per column walking the rows in
/// order, so each result is summed in the same order as the CPU engine (row 0 first) and no atomics are needed;
/// consecutive threads read consecutive addresses. Implicitly grouped over the columns unless noted.
/// </summary>
internal static class ColumnKernels
{
    /// <summary><c>g[j] = Σ_r delta[r·n + j]</c> in float, rows in order (the bias gradient).</summary>
    public static void ColumnSums(Index1D j, ArrayView<float> delta, int rows, int n, ArrayView<float> g)
    {
        var s = 0f;
        for (var r = 0; r < rows; r++) s += delta[(r * n) + j];
        g[j] = s;
    }

    /// <summary><c>norms[j] = Σ_r w[r·cols + j]²</c> in float, rows in order (max-norm's squared column norms).</summary>
    public static void ColumnSquareNorms(Index1D j, ArrayView<float> w, int rows, int cols, ArrayView<float> norms)
    {
        var s = 0f;
        for (var r = 0; r < rows; r++)
        {
            var v = w[(r * cols) + j];
            s += v * v;
        }
        norms[j] = s;
    }

    /// <summary><c>w[i] ← w[i] · factor[i % cols]</c>. Implicitly grouped over rows·cols.</summary>
    public static void ScaleColumns(Index1D i, ArrayView<float> w, int cols, ArrayView<float> factor)
        => w[i] *= factor[i % cols];

    /// <summary>
    /// The KL sparseness penalty's delta term <c>pen[j] = β(−p/ρ + (1 − p)/(1 − ρ))</c>, ρ = the column's mean over
    /// the rows clamped to [1e-6, 1 − 1e-6], all in double as the CPU engine computes it.
    /// </summary>
    public static void SparsenessPenalty(Index1D j, ArrayView<float> a, int rows, int n, float p, float beta, ArrayView<float> penalty)
    {
        var sum = 0.0;
        for (var r = 0; r < rows; r++) sum += a[(r * n) + j];
        var rho = sum / rows;
        if (rho < 1e-6) rho = 1e-6;
        if (rho > 1 - 1e-6) rho = 1 - 1e-6;
        double pd = p;
        penalty[j] = (float)(beta * ((-pd / rho) + ((1 - pd) / (1 - rho))));
    }
}
