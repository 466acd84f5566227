using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>
/// The steps of a row softmax (and its Jacobian) over a [rows][n] buffer whose rows may be split across shards: the
/// runtime all-reduces the per-row maxima and sums between the steps, exactly as the CPU engine's softmax does.
/// Reductions run one group per row (a row of a wide output layer is long), element-wise steps are implicitly
/// grouped over rows·n.
/// </summary>
internal static class RowKernels
{
    /// <summary><c>max[row] = max_j z[row·n + j]</c>. Explicitly grouped: one group per row.</summary>
    public static void RowMax(ArrayView<float> z, int n, ArrayView<float> max)
    {
        var row = Grid.IdxX;
        var start = row * n;
        var m = float.NegativeInfinity;
        for (var j = Group.IdxX; j < n; j += Group.DimX)
        {
            var v = z[start + j];
            if (v > m) m = v;
        }
        m = GroupReduce.Max(m);
        if (Group.IdxX == 0) max[row] = m;
    }

    /// <summary>
    /// <c>z ← exp(z − max[row])</c> and <c>sums[row] = Σ_j</c> of the new values, summed in double. Explicitly grouped:
    /// one group per row.
    /// </summary>
    public static void ExpAndRowSum(ArrayView<float> z, int n, ArrayView<float> max, ArrayView<double> sums)
    {
        var row = Grid.IdxX;
        var start = row * n;
        var m = max[row];
        var s = 0.0;
        for (var j = Group.IdxX; j < n; j += Group.DimX)
        {
            var e = MathF.Exp(z[start + j] - m);
            z[start + j] = e;
            s += e;
        }
        s = GroupReduce.Sum(s);
        if (Group.IdxX == 0) sums[row] = s;
    }

    /// <summary><c>sums[row] = Σ_j u[row·n + j]</c> in double. Explicitly grouped: one group per row.</summary>
    public static void RowSums(ArrayView<float> u, int n, ArrayView<double> sums)
    {
        var row = Grid.IdxX;
        var start = row * n;
        var s = 0.0;
        for (var j = Group.IdxX; j < n; j += Group.DimX) s += u[start + j];
        s = GroupReduce.Sum(s);
        if (Group.IdxX == 0) sums[row] = s;
    }

    /// <summary><c>z[i] ← z[i] · (float)(1 / sums[i / n])</c>. Implicitly grouped over rows·n.</summary>
    public static void ScaleRows(Index1D i, ArrayView<float> z, int n, ArrayView<double> sums)
        => z[i] *= (float)(1.0 / sums[i / n]);

    /// <summary><c>u[i] ← u[i] − a[i] · (float)sums[i / n]</c> (the softmax Jacobian). Implicitly grouped over rows·n.</summary>
    public static void SubtractScaled(Index1D i, ArrayView<float> u, ArrayView<float> a, int n, ArrayView<double> sums)
        => u[i] -= a[i] * (float)sums[i / n];
}
