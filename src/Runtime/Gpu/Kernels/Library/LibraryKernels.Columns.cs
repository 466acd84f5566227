using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

internal sealed partial class LibraryKernels
{
    /// <summary><c>g[j] = Σ_r delta[r][j]</c> over a [rows][n] buffer, rows in order (the bias gradient).</summary>
    public void ColumnSums(AcceleratorStream stream, ArrayView<float> delta, int rows, int n, ArrayView<float> g)
    {
        var count = ViewChecks.Count(rows, n, nameof(n));
        ViewChecks.Holds(delta, count, nameof(delta));
        ViewChecks.Holds(g, n, nameof(g));
        if (n > 0) _columnSums(stream, n, delta, rows, n, g);
    }

    /// <summary><c>norms[j] = Σ_r w[r][j]²</c> over a [rows][cols] buffer, rows in order.</summary>
    public void ColumnSquareNorms(AcceleratorStream stream, ArrayView<float> w, int rows, int cols, ArrayView<float> norms)
    {
        var count = ViewChecks.Count(rows, cols, nameof(cols));
        ViewChecks.Holds(w, count, nameof(w));
        ViewChecks.Holds(norms, cols, nameof(norms));
        if (cols > 0) _columnSquareNorms(stream, cols, w, rows, cols, norms);
    }

    /// <summary><c>w[r][j] ← w[r][j] · factor[j]</c> over a [rows][cols] buffer.</summary>
    public void ScaleColumns(AcceleratorStream stream, ArrayView<float> w, int rows, int cols, ArrayView<float> factor)
    {
        var count = ViewChecks.Count(rows, cols, nameof(cols));
        ViewChecks.Holds(w, count, nameof(w));
        ViewChecks.Holds(factor, cols, nameof(factor));
        if (count > 0) _scaleColumns(stream, count, w, cols, factor);
    }

    /// <summary>
    /// The KL sparseness penalty term per column of a [rows][n] activation buffer:
    /// <c>penalty[j] = β(−p/ρ + (1 − p)/(1 − ρ))</c>, ρ = clamp(column mean, 1e-6, 1 − 1e-6), computed in double.
    /// </summary>
    public void SparsenessPenalty(AcceleratorStream stream, ArrayView<float> a, int rows, int n, float p, float beta, ArrayView<float> penalty)
    {
        var count = ViewChecks.Count(rows, n, nameof(n));
        ViewChecks.Holds(a, count, nameof(a));
        ViewChecks.Holds(penalty, n, nameof(penalty));
        if (n > 0) _sparsenessPenalty(stream, n, a, rows, n, p, beta, penalty);
    }
}
