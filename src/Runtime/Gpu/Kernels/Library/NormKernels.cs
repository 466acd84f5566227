using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>
/// Batch normalisation of a row-major [rows][n] block, one thread per unit (column) walking the rows in order, in
/// double: the same arithmetic in the same order as the CPU's <c>BatchNormPass</c> (docs/semantics.md "Batch
/// normalisation"), so both devices agree to float rounding and neither depends on the launch shape. Implicitly
/// grouped over the units.
/// </summary>
internal static class NormKernels
{
    /// <summary>Training: batch statistics, ẑ and 1/σ kept, running statistics moved (unless one row), z ← γ ẑ + β.</summary>
    public static void Train(Index1D j, NormArgs a)
    {
        var n = a.N;
        var rows = a.Rows;
        double bias = a.Bias[j];
        var sum = 0.0;
        for (var b = 0; b < rows; b++) sum += a.Block[(b * n) + j] + bias;
        var mean = sum / rows;
        var squares = 0.0;
        for (var b = 0; b < rows; b++)
        {
            var d = a.Block[(b * n) + j] + bias - mean;
            squares += d * d;
        }
        var inv = 1.0 / Math.Sqrt((squares / rows) + a.Epsilon);
        a.InverseStd[j] = (float)inv;
        var gamma = a.Gamma[j];
        var beta = a.Beta[j];
        for (var b = 0; b < rows; b++)
        {
            var at = (b * n) + j;
            var hat = (float)((a.Block[at] + bias - mean) * inv);
            a.Normalized[at] = hat;
            a.Block[at] = (gamma * hat) + beta;
        }
        if (rows > 1)
        {
            double m = a.Momentum;
            a.RunningMean[j] = (float)(((1.0 - m) * a.RunningMean[j]) + (m * mean));
            a.RunningVar[j] = (float)(((1.0 - m) * a.RunningVar[j]) + (m * squares / (rows - 1)));
        }
    }

    /// <summary>Inference: z ← γ (z + bias − running mean)/√(running var + ε) + β.</summary>
    public static void Infer(Index1D j, NormArgs a)
    {
        var n = a.N;
        double bias = a.Bias[j];
        double mean = a.RunningMean[j];
        var inv = 1.0 / Math.Sqrt((double)a.RunningVar[j] + a.Epsilon);
        var gamma = a.Gamma[j];
        var beta = a.Beta[j];
        for (var b = 0; b < a.Rows; b++)
        {
            var at = (b * n) + j;
            var hat = (float)((a.Block[at] + bias - mean) * inv);
            a.Block[at] = (gamma * hat) + beta;
        }
    }

    /// <summary>Backward: δ ← γ/σ · (δ − mean δ − ẑ · mean(δ ẑ)); γ's gradient Σ δ ẑ, β's Σ δ.</summary>
    public static void Backward(Index1D j, NormArgs a)
    {
        var n = a.N;
        var rows = a.Rows;
        var sum = 0.0;
        var sumHat = 0.0;
        for (var b = 0; b < rows; b++)
        {
            var at = (b * n) + j;
            sum += a.Block[at];
            sumHat += (double)a.Block[at] * a.Normalized[at];
        }
        a.GammaGradient[j] = (float)sumHat;
        a.BetaGradient[j] = (float)sum;
        var scale = (double)a.Gamma[j] * a.InverseStd[j];
        var meanDelta = sum / rows;
        var meanDeltaHat = sumHat / rows;
        for (var b = 0; b < rows; b++)
        {
            var at = (b * n) + j;
            a.Block[at] = (float)(scale * (a.Block[at] - meanDelta - (a.Normalized[at] * meanDeltaHat)));
        }
    }
}
