namespace DestinyDsl.Runtime.Tuning.Optimization;

/// <summary>Standard-normal functions and expected improvement, in plain C# (no special-function library).</summary>
public static class NormalMath
{
    /// <summary>ln √(2π).</summary>
    public const double LogSqrt2Pi = 0.91893853320467274178;

    private const double InvSqrt2Pi = 0.39894228040143267794;
    private const double InvSqrtPi = 0.56418958354775628695;

    /// <summary>Complementary error function, accurate to a few ulps relative in both tails (positive-term series below 2, continued fraction above).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
            return double.NaN;
        if (x < 0)
            return 2 - Erfc(-x);
        if (x < 2)
        {
            // erf x = 2/√π · e^{−x²} · Σ_n x·(2x²)^n / (1·3·…·(2n+1)): all terms positive, no cancellation.
            double term = x, sum = x, twoX2 = 2 * x * x;
            for (var n = 1; n < 200; n++)
            {
                term *= twoX2 / (2 * n + 1);
                sum += term;
                if (term < 1e-17 * sum)
                    break;
            }
            return 1 - 2 * InvSqrtPi * Math.Exp(-x * x) * sum;
        }
        if (x > 27)
            return 0; // below the smallest double
        return Math.Exp(-x * x) * InvSqrtPi * ErfcxContinuedFraction(x);
    }

    // e^{x²}·erfc(x)·√π = 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), evaluated backwards (x ≥ 2 converges fast).
    private static double ErfcxContinuedFraction(double x)
    {
        var d = x;
        for (var k = 120; k >= 1; k--)
            d = x + k * 0.5 / d;
        return 1 / d;
    }

    /// <summary>Standard normal density φ(z).</summary>
    public static double Pdf(double z) => InvSqrt2Pi * Math.Exp(-0.5 * z * z);

    /// <summary>Standard normal distribution function Φ(z) = ½ erfc(−z/√2), accurate in the lower tail.</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>
    /// ln h(z) with h(z) = z·Φ(z) + φ(z), the expected improvement of a unit-variance Gaussian (EI = σ·h(z)).
    /// Finite for every finite z: for z &lt; −3 it is computed as ln φ(z) + ln(q/(t+q)), t = −z, with q the tail of
    /// Laplace's continued fraction for the Mills ratio (no cancellation; ≈ −z²/2 − ln√(2π) − 2 ln|z| far out).
    /// </summary>
    public static double LogH(double z)
    {
        if (double.IsNaN(z))
            return double.NaN;
        if (z > -3)
            return Math.Log(z * Cdf(z) + Pdf(z));
        var t = -z;
        if (t > 1e8)
            return -0.5 * t * t - LogSqrt2Pi - 2 * Math.Log(t);
        // R(t) = Φ(−t)/φ(t) = 1/(t + q), q = 1/(t + 2/(t + 3/(t + …))) ⇒ h = φ(t)·(1 − t·R) = φ(t)·q/(t + q).
        var d = t;
        for (var k = 150; k >= 1; k--)
            d = t + (k + 1) / d;
        var q = 1 / d;
        return -0.5 * t * t - LogSqrt2Pi + Math.Log(q) - Math.Log(t + q);
    }

    /// <summary>Expected improvement below <paramref name="best"/> of N(mean, variance) (minimisation): σ·h((best − μ)/σ).</summary>
    public static double ExpectedImprovement(double mean, double variance, double best)
    {
        var sigma = Math.Sqrt(Math.Max(variance, 1e-300));
        return sigma * Math.Exp(LogH((best - mean) / sigma));
    }

    /// <summary>ln of <see cref="ExpectedImprovement"/>, finite however small the improvement.</summary>
    public static double LogExpectedImprovement(double mean, double variance, double best)
    {
        var sigma = Math.Sqrt(Math.Max(variance, 1e-300));
        return LogH((best - mean) / sigma) + Math.Log(sigma);
    }
}
