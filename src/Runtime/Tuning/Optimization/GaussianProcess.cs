namespace DestinyDsl.Runtime.Tuning.Optimization;

/// <summary>
/// GP hyperparameters on standardised outputs: constant <see cref="Mean"/>, signal variance <see cref="Amplitude"/>
/// (a), noise variance <see cref="Noise"/> (σ_n²) and one Matérn length-scale per unit-cube column.
/// </summary>
public sealed record GpHyperparameters(double Mean, double Amplitude, double Noise, IReadOnlyList<double> LengthScales);

/// <summary>
/// A Gaussian process with constant mean and a Matérn 5/2 ARD kernel plus noise, conditioned on data:
/// <c>K = a·k(X,X) + σ_n²·I</c>, <c>k(r) = (1 + √5 r + 5/3 r²)·exp(−√5 r)</c>, <c>r = ‖(x − x′)/ℓ‖</c>.
/// K is factorised by Cholesky with growing jitter (never inverted); α = K⁻¹(y − m) comes from two triangular
/// solves. Plain arrays, row-major.
/// </summary>
public sealed class GaussianProcess
{
    private readonly double[][] _x;
    private readonly double[] _inverseLengthScales;
    private readonly double[] _l; // n×n lower Cholesky factor, row-major
    private readonly double[] _alpha;
    private readonly int _n;

    /// <summary>Conditions the GP on the points <paramref name="x"/> (rows) with outputs <paramref name="y"/>.</summary>
    /// <exception cref="InvalidOperationException">K stays not positive definite after the jitter retries.</exception>
    public GaussianProcess(IReadOnlyList<double[]> x, IReadOnlyList<double> y, GpHyperparameters hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException("x and y differ in length.");
        Hyperparameters = hyperparameters;
        _n = x.Count;
        _x = x.ToArray();
        _inverseLengthScales = hyperparameters.LengthScales.Select(l => 1 / l).ToArray();
        var n = _n;
        var k = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            k[i * n + i] = hyperparameters.Amplitude + hyperparameters.Noise;
            for (var j = 0; j < i; j++)
                k[i * n + j] = k[j * n + i] = hyperparameters.Amplitude * Matern52(ScaledSquaredDistance(_x[i], _x[j], _inverseLengthScales));
        }
        _l = CholeskyWithJitter(k, n, out var jitter);
        Jitter = jitter;
        var residual = new double[n];
        for (var i = 0; i < n; i++)
            residual[i] = y[i] - hyperparameters.Mean;
        var z = SolveLower(_l, n, residual);
        _alpha = SolveUpperTransposed(_l, n, z);
        double quadratic = 0, logDeterminant = 0;
        for (var i = 0; i < n; i++)
        {
            quadratic += z[i] * z[i];
            logDeterminant += Math.Log(_l[i * n + i]);
        }
        LogMarginalLikelihood = -0.5 * quadratic - logDeterminant - 0.5 * n * Math.Log(2 * Math.PI);
    }

    /// <summary>The hyperparameters.</summary>
    public GpHyperparameters Hyperparameters { get; }

    /// <summary>Number of data points.</summary>
    public int Count => _n;

    /// <summary>Jitter added to K's diagonal to factorise it (0 when none was needed).</summary>
    public double Jitter { get; }

    /// <summary>ln p(y | X, θ) including the −(n/2) ln 2π term.</summary>
    public double LogMarginalLikelihood { get; }

    /// <summary>The diagonal of the Cholesky factor L of K.</summary>
    public double[] CholeskyDiagonal()
    {
        var d = new double[_n];
        for (var i = 0; i < _n; i++)
            d[i] = _l[i * _n + i];
        return d;
    }

    /// <summary>Row <paramref name="i"/> of K (kernel plus noise on the diagonal, without jitter).</summary>
    public double[] CovarianceRow(int i)
    {
        var row = new double[_n];
        for (var j = 0; j < _n; j++)
            row[j] = i == j
                ? Hyperparameters.Amplitude + Hyperparameters.Noise
                : Hyperparameters.Amplitude * Matern52(ScaledSquaredDistance(_x[i], _x[j], _inverseLengthScales));
        return row;
    }

    /// <summary>Posterior mean and variance of the latent function at <paramref name="point"/> (variance clamped at 1e-12).</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> point)
    {
        Span<double> work = _n <= 512 ? stackalloc double[_n] : new double[_n];
        return Predict(point, work);
    }

    /// <summary><see cref="Predict(ReadOnlySpan{double})"/> with caller-supplied scratch of length ≥ n.</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> point, Span<double> work)
    {
        var n = _n;
        var a = Hyperparameters.Amplitude;
        var mean = Hyperparameters.Mean;
        for (var i = 0; i < n; i++)
        {
            work[i] = a * Matern52(ScaledSquaredDistance(_x[i], point, _inverseLengthScales));
            mean += work[i] * _alpha[i];
        }
        // v = L \ k*, in place.
        double vv = 0;
        for (var i = 0; i < n; i++)
        {
            var s = work[i];
            var row = i * n;
            for (var j = 0; j < i; j++)
                s -= _l[row + j] * work[j];
            s /= _l[row + i];
            work[i] = s;
            vv += s * s;
        }
        return (mean, Math.Max(a - vv, 1e-12));
    }

    /// <summary>Matérn 5/2 correlation of a scaled squared distance d² = Σ((x−x′)/ℓ)².</summary>
    public static double Matern52(double scaledSquaredDistance)
    {
        var r = Math.Sqrt(5 * scaledSquaredDistance);
        return (1 + r + r * r / 3) * Math.Exp(-r);
    }

    internal static double ScaledSquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double[] inverseLengthScales)
    {
        double s = 0;
        for (var d = 0; d < inverseLengthScales.Length; d++)
        {
            var t = (a[d] - b[d]) * inverseLengthScales[d];
            s += t * t;
        }
        return s;
    }

    /// <summary>
    /// Cholesky factor of the symmetric matrix <paramref name="k"/> (n×n, row-major). When a pivot is not positive it
    /// retries with j·I added, j = 1e-8·mean(diag K) growing ×10, at most 8 tries.
    /// </summary>
    /// <exception cref="InvalidOperationException">Still not positive definite.</exception>
    public static double[] CholeskyWithJitter(double[] k, int n, out double jitter)
    {
        jitter = 0;
        double meanDiagonal = 0;
        for (var i = 0; i < n; i++)
            meanDiagonal += k[i * n + i];
        meanDiagonal = n > 0 ? Math.Abs(meanDiagonal / n) : 1;
        var l = new double[n * n];
        for (var attempt = 0; attempt <= 8; attempt++)
        {
            if (TryCholesky(k, n, jitter, l))
                return l;
            jitter = jitter == 0 ? 1e-8 * Math.Max(meanDiagonal, 1e-300) : jitter * 10;
        }
        throw new InvalidOperationException($"The GP covariance matrix is not positive definite even with jitter {jitter / 10:G3}.");
    }

    private static bool TryCholesky(double[] k, int n, double jitter, double[] l)
    {
        for (var i = 0; i < n; i++)
        {
            var rowI = i * n;
            for (var j = 0; j <= i; j++)
            {
                var rowJ = j * n;
                var s = k[rowI + j];
                for (var p = 0; p < j; p++)
                    s -= l[rowI + p] * l[rowJ + p];
                if (i == j)
                {
                    s += jitter;
                    if (!(s > 0) || double.IsInfinity(s))
                        return false;
                    l[rowI + i] = Math.Sqrt(s);
                }
                else
                    l[rowI + j] = s / l[rowJ + j];
            }
            for (var j = i + 1; j < n; j++)
                l[rowI + j] = 0;
        }
        return true;
    }

    internal static double[] SolveLower(double[] l, int n, IReadOnlyList<double> b)
    {
        var x = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var j = 0; j < i; j++)
                s -= l[i * n + j] * x[j];
            x[i] = s / l[i * n + i];
        }
        return x;
    }

    internal static double[] SolveUpperTransposed(double[] l, int n, double[] b)
    {
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var j = i + 1; j < n; j++)
                s -= l[j * n + i] * x[j];
            x[i] = s / l[i * n + i];
        }
        return x;
    }
}
