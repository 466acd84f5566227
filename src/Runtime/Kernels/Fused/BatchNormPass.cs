using System.Buffers;

namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// Batch normalisation of a [rows][n] block of pre-activations, per unit (column), as PyTorch's <c>BatchNorm1d</c>
/// (docs/semantics.md "Batch normalisation"). Every per-unit sum runs over the rows in order, in double, so the result
/// does not depend on the thread count or on how the units are split across shards, and equals the GPU's
/// <c>NormKernels</c> (one thread per unit, the same order and arithmetic).
/// </summary>
/// <remarks>
/// The loops walk the block row by row (contiguous) with one double accumulator per unit: the same sums, in the same
/// order, as a unit-by-unit walk, without its stride-n reads. The CPU device runs this on its buffers.
/// </remarks>
internal static class BatchNormPass
{
    /// <summary>
    /// Training: z[b][j] + bias[j] normalised with the batch's mean and biased variance of unit j, written back as
    /// y = γ ẑ + β; ẑ kept in <paramref name="normalized"/> and 1/√(σ² + ε) in <paramref name="inverseStd"/> for the
    /// backward pass. The running statistics move by <paramref name="momentum"/> towards the batch's mean and its
    /// unbiased variance (σ²·B/(B − 1)); a batch of one row leaves them as they were (PyTorch refuses such a batch).
    /// </summary>
    public static void Train(Span<float> z, int rows, int n, ReadOnlySpan<float> bias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float momentum, float epsilon, Span<float> runningMean, Span<float> runningVar, Span<float> normalized, Span<float> inverseStd)
    {
        var rented = ArrayPool<double>.Shared.Rent(3 * n);
        try
        {
            var mean = rented.AsSpan(0, n);
            var squares = rented.AsSpan(n, n);
            var inv = rented.AsSpan(2 * n, n);
            mean.Clear();
            squares.Clear();
            for (var b = 0; b < rows; b++)
            {
                var row = z.Slice(b * n, n);
                for (var j = 0; j < n; j++) mean[j] += (double)row[j] + bias[j];
            }
            for (var j = 0; j < n; j++) mean[j] /= rows;
            for (var b = 0; b < rows; b++)
            {
                var row = z.Slice(b * n, n);
                for (var j = 0; j < n; j++)
                {
                    var d = (double)row[j] + bias[j] - mean[j];
                    squares[j] += d * d;
                }
            }
            for (var j = 0; j < n; j++)
            {
                inv[j] = 1.0 / Math.Sqrt((squares[j] / rows) + epsilon);
                inverseStd[j] = (float)inv[j];
            }
            for (var b = 0; b < rows; b++)
            {
                var row = z.Slice(b * n, n);
                var hats = normalized.Slice(b * n, n);
                for (var j = 0; j < n; j++)
                {
                    var hat = (float)(((double)row[j] + bias[j] - mean[j]) * inv[j]);
                    hats[j] = hat;
                    row[j] = (gamma[j] * hat) + beta[j];
                }
            }
            if (rows > 1)
            {
                for (var j = 0; j < n; j++)
                {
                    runningMean[j] = (float)(((1.0 - momentum) * runningMean[j]) + (momentum * mean[j]));
                    runningVar[j] = (float)(((1.0 - momentum) * runningVar[j]) + (momentum * squares[j] / (rows - 1)));
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>Inference: z[b][j] + bias[j] normalised with the running statistics, written back as y = γ ẑ + β.</summary>
    public static void Infer(Span<float> z, int rows, int n, ReadOnlySpan<float> bias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar)
    {
        var rented = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var inv = rented.AsSpan(0, n);
            for (var j = 0; j < n; j++) inv[j] = 1.0 / Math.Sqrt((double)runningVar[j] + epsilon);
            for (var b = 0; b < rows; b++)
            {
                var row = z.Slice(b * n, n);
                for (var j = 0; j < n; j++)
                {
                    var hat = (float)(((double)row[j] + bias[j] - runningMean[j]) * inv[j]);
                    row[j] = (gamma[j] * hat) + beta[j];
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Backward through a training normalisation: <paramref name="delta"/> holds δy (per example, after the activation
    /// derivative and dropout) and becomes δz = γ/σ · (δy − mean_b δy − ẑ · mean_b(δy ẑ)); the batch sums
    /// Σ_b δy ẑ and Σ_b δy are γ's and β's gradients (the runtime's gradients are batch sums, scaled by 1/B in the update).
    /// </summary>
    public static void Backward(Span<float> delta, int rows, int n, ReadOnlySpan<float> normalized, ReadOnlySpan<float> gamma, ReadOnlySpan<float> inverseStd,
        Span<float> gammaGradient, Span<float> betaGradient)
    {
        var rented = ArrayPool<double>.Shared.Rent(2 * n);
        try
        {
            var sum = rented.AsSpan(0, n);
            var sumHat = rented.AsSpan(n, n);
            sum.Clear();
            sumHat.Clear();
            for (var b = 0; b < rows; b++)
            {
                var d = delta.Slice(b * n, n);
                var hats = normalized.Slice(b * n, n);
                for (var j = 0; j < n; j++)
                {
                    sum[j] += d[j];
                    sumHat[j] += (double)d[j] * hats[j];
                }
            }
            for (var j = 0; j < n; j++)
            {
                gammaGradient[j] = (float)sumHat[j];
                betaGradient[j] = (float)sum[j];
            }
            for (var b = 0; b < rows; b++)
            {
                var d = delta.Slice(b * n, n);
                var hats = normalized.Slice(b * n, n);
                for (var j = 0; j < n; j++)
                {
                    var scale = (double)gamma[j] * inverseStd[j];
                    d[j] = (float)(scale * (d[j] - (sum[j] / rows) - (hats[j] * (sumHat[j] / rows))));
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}
