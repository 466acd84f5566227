using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

internal sealed partial class LibraryKernels
{
    /// <summary><c>max[r] = max_j z[r][j]</c> over a [rows][n] buffer (−∞ for an empty row).</summary>
    public void RowMax(AcceleratorStream stream, ArrayView<float> z, int rows, int n, ArrayView<float> max)
    {
        var count = ViewChecks.Count(rows, n, nameof(n));
        ViewChecks.Holds(z, count, nameof(z));
        ViewChecks.Holds(max, rows, nameof(max));
        if (rows > 0) _rowMax(stream, new KernelConfig(rows, RowGroupSize), z, n, max);
    }

    /// <summary><c>z[r][j] ← exp(z[r][j] − max[r])</c> and <c>sums[r] = Σ_j z[r][j]</c> (new values, summed in double).</summary>
    public void ExpAndRowSum(AcceleratorStream stream, ArrayView<float> z, int rows, int n, ArrayView<float> max, ArrayView<double> sums)
    {
        var count = ViewChecks.Count(rows, n, nameof(n));
        ViewChecks.Holds(z, count, nameof(z));
        ViewChecks.Holds(max, rows, nameof(max));
        ViewChecks.Holds(sums, rows, nameof(sums));
        if (rows > 0) _expAndRowSum(stream, new KernelConfig(rows, RowGroupSize), z, n, max, sums);
    }

    /// <summary><c>z[r][j] ← z[r][j] · (float)(1 / sums[r])</c>.</summary>
    public void ScaleRows(AcceleratorStream stream, ArrayView<float> z, int rows, int n, ArrayView<double> sums)
    {
        var count = ViewChecks.Count(rows, n, nameof(n));
        ViewChecks.Holds(z, count, nameof(z));
        ViewChecks.Holds(sums, rows, nameof(sums));
        if (count > 0) _scaleRows(stream, count, z, n, sums);
    }

    /// <summary><c>sums[r] = Σ_j u[r][j]</c>, summed in double.</summary>
    public void RowSums(AcceleratorStream stream, ArrayView<float> u, int rows, int n, ArrayView<double> sums)
    {
        var count = ViewChecks.Count(rows, n, nameof(n));
        ViewChecks.Holds(u, count, nameof(u));
        ViewChecks.Holds(sums, rows, nameof(sums));
        if (rows > 0) _rowSums(stream, new KernelConfig(rows, RowGroupSize), u, n, sums);
    }

    /// <summary><c>u[r][j] ← u[r][j] − a[r][j] · (float)sums[r]</c> (the softmax Jacobian-vector product's last step).</summary>
    public void SubtractScaled(AcceleratorStream stream, ArrayView<float> u, ArrayView<float> a, int rows, int n, ArrayView<double> sums)
    {
        var count = ViewChecks.Count(rows, n, nameof(n));
        ViewChecks.Holds(u, count, nameof(u));
        ViewChecks.Holds(a, count, nameof(a));
        ViewChecks.Holds(sums, rows, nameof(sums));
        if (count > 0) _subtractScaled(stream, count, u, a, n, sums);
    }
}
