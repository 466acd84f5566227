namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// Batch normalisation of a [rows][n] block of pre-activations, per unit (column), as PyTorch's <c>BatchNorm1d</c>
/// (docs/semantics.md "Batch normalisation"). Every sum runs over the rows in order, in double, one unit at a time,
/// so the result does not depend on the thread count or on how the units are split across shards.
/// </summary>
/// <remarks>
/// Host code on spans: the schedule runs it on the device's own buffers where the device computes in host memory
/// (the CPU) and on staged copies otherwise. It is the plain implementation the float64 reference is checked against.
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
        for (var j = 0; j < n; j++)
        {
            var sum = 0.0;
            for (var b = 0; b < rows; b++) sum += (double)z[(b * n) + j] + bias[j];
            var mean = sum / rows;
            var squares = 0.0;
            for (var b = 0; b < rows; b++)
            {
                var d = (double)z[(b * n) + j] + bias[j] - mean;
                squares += d * d;
            }
            var variance = squares / rows;
            var inv = 1.0 / Math.Sqrt(variance + epsilon);
            inverseStd[j] = (float)inv;
            for (var b = 0; b < rows; b++)
            {
                var at = (b * n) + j;
                var hat = (float)(((double)z[at] + bias[j] - mean) * inv);
                normalized[at] = hat;
                z[at] = (gamma[j] * hat) + beta[j];
            }
            if (rows > 1)
            {
                runningMean[j] = (float)(((1.0 - momentum) * runningMean[j]) + (momentum * mean));
                runningVar[j] = (float)(((1.0 - momentum) * runningVar[j]) + (momentum * squares / (rows - 1)));
            }
        }
    }

    /// <summary>Inference: z[b][j] + bias[j] normalised with the running statistics, written back as y = γ ẑ + β.</summary>
    public static void Infer(Span<float> z, int rows, int n, ReadOnlySpan<float> bias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar)
    {
        for (var j = 0; j < n; j++)
        {
            var inv = 1.0 / Math.Sqrt((double)runningVar[j] + epsilon);
            for (var b = 0; b < rows; b++)
            {
                var at = (b * n) + j;
                var hat = (float)(((double)z[at] + bias[j] - runningMean[j]) * inv);
                z[at] = (gamma[j] * hat) + beta[j];
            }
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
        for (var j = 0; j < n; j++)
        {
            var sum = 0.0;
            var sumHat = 0.0;
            for (var b = 0; b < rows; b++)
            {
                var at = (b * n) + j;
                sum += delta[at];
                sumHat += (double)delta[at] * normalized[at];
            }
            gammaGradient[j] = (float)sumHat;
            betaGradient[j] = (float)sum;
            var scale = (double)gamma[j] * inverseStd[j];
            var meanDelta = sum / rows;
            var meanDeltaHat = sumHat / rows;
            for (var b = 0; b < rows; b++)
            {
                var at = (b * n) + j;
                delta[at] = (float)(scale * (delta[at] - meanDelta - (normalized[at] * meanDeltaHat)));
            }
        }
    }
}
