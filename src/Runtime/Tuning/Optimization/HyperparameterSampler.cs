namespace DestinyDsl.Runtime.Tuning.Optimization;

/// <summary>
/// Spearmint's slice-sampling MCMC over the GP hyperparameters, continued across suggestions. The state is
/// θ = (m, ln a, ln σ_n², ln ℓ_1 … ln ℓ_D). Priors (on standardised outputs, HIPS Spearmint's):
/// m ~ N(0, 1); √a ~ LogNormal(0, 1) (a in [1e-6, 1e3]); σ_n² ~ horseshoe(0.1) on [1e-6, 1] (fixed at 1e-6 when
/// noiseless); ln ℓ_d uniform on [ln 1e-3, ln 10] (Spearmint: ℓ uniform on (0, 10]; the log-uniform form measured
/// better on Hartmann-6, docs/tuning.md). Sampling happens in the log coordinates, with the Jacobian in the density
/// where a prior is stated on the raw parameter (σ_n²). Blocks: (m, ln a, ln σ_n²) along one random unit direction, then
/// each ln ℓ_d in random order; univariate slice sampling with stepping out (width 1, ≤ 1000 steps) and shrinkage
/// (Neal 2003).
/// </summary>
internal sealed class HyperparameterSampler
{
    internal const double MinimumNoise = 1e-6;
    private const double NoiseScale = 0.1;
    private const double MaxLengthScale = 10, MinLengthScale = 1e-3;

    private readonly int _dimensions;
    private readonly bool _noiseless;
    private readonly Random _random;
    private double[]? _state;
    private double _stateLogDensity;
    private IReadOnlyList<double[]> _x = Array.Empty<double[]>();
    private IReadOnlyList<double> _y = Array.Empty<double>();

    public HyperparameterSampler(int dimensions, bool noiseless, Random random)
    {
        _dimensions = dimensions;
        _noiseless = noiseless;
        _random = random;
    }

    /// <summary>Sweeps done so far (the chain's length).</summary>
    public int Sweeps { get; private set; }

    /// <summary>Continues the chain on new data: burn-in sweeps on the first call, then one sweep per sample.</summary>
    public GpHyperparameters[] Sample(IReadOnlyList<double[]> x, IReadOnlyList<double> y, int burnIn, int samples)
    {
        _x = x;
        _y = y;
        if (_state is null)
        {
            _state = new double[3 + _dimensions];
            _state[2] = Math.Log(_noiseless ? MinimumNoise : 1e-3);
            // m = 0, a = 1, ℓ = 1 (HIPS initial values).
        }
        _stateLogDensity = LogDensity(_state);
        if (double.IsNegativeInfinity(_stateLogDensity))
        {
            // The data moved the old state out of support (a Cholesky failure): restart from the prior's centre.
            Array.Clear(_state);
            _state[2] = Math.Log(_noiseless ? MinimumNoise : 1e-3);
            _stateLogDensity = LogDensity(_state);
        }
        var sweeps = Math.Max(0, burnIn - Sweeps);
        for (var i = 0; i < sweeps; i++)
            Sweep();
        var result = new GpHyperparameters[samples];
        for (var s = 0; s < samples; s++)
        {
            Sweep();
            result[s] = ToHyperparameters(_state);
        }
        return result;
    }

    internal static GpHyperparameters ToHyperparameters(double[] state) =>
        new(state[0], Math.Exp(state[1]), Math.Exp(state[2]), state.Skip(3).Select(Math.Exp).ToArray());

    private void Sweep()
    {
        var state = _state!;
        // Block 1: mean, amplitude (and noise) along a random direction.
        var direction = new double[state.Length];
        var blockSize = _noiseless ? 2 : 3;
        double norm = 0;
        for (var i = 0; i < blockSize; i++)
        {
            direction[i] = Gaussian(_random);
            norm += direction[i] * direction[i];
        }
        norm = Math.Sqrt(norm);
        for (var i = 0; i < blockSize; i++)
            direction[i] /= norm;
        SliceStep(direction);
        // Block 2: each log length-scale, in random order.
        var order = Enumerable.Range(0, _dimensions).ToArray();
        _random.Shuffle(order);
        foreach (var d in order)
        {
            Array.Clear(direction);
            direction[3 + d] = 1;
            SliceStep(direction);
        }
        Sweeps++;
    }

    private void SliceStep(double[] direction)
    {
        var x0 = _state!;
        var logY = _stateLogDensity + Math.Log(1 - _random.NextDouble()); // ln(u·p(x0)), u ∈ (0,1]
        const double width = 1;
        var lower = -_random.NextDouble() * width;
        var upper = lower + width;
        var probe = new double[x0.Length];
        double At(double t)
        {
            for (var i = 0; i < x0.Length; i++)
                probe[i] = x0[i] + t * direction[i];
            return LogDensity(probe);
        }
        for (var steps = 0; steps < 1000 && At(lower) > logY; steps++)
            lower -= width;
        for (var steps = 0; steps < 1000 && At(upper) > logY; steps++)
            upper += width;
        for (var tries = 0; tries < 200; tries++)
        {
            var t = lower + _random.NextDouble() * (upper - lower);
            var lp = At(t);
            if (lp > logY)
            {
                Array.Copy(probe, x0, x0.Length);
                _stateLogDensity = lp;
                return;
            }
            if (t < 0)
                lower = t;
            else
                upper = t;
            if (upper - lower < 1e-12)
                break;
        }
        // Shrunk to the current point: stay there.
    }

    /// <summary>Log posterior density of θ (up to a constant); −∞ outside the priors' support or on a numerical failure.</summary>
    internal double LogDensity(double[] state)
    {
        double mean = state[0], logAmplitude = state[1], logNoise = _noiseless ? Math.Log(MinimumNoise) : state[2];
        if (!double.IsFinite(mean) || logAmplitude < Math.Log(1e-6) || logAmplitude > Math.Log(1e3))
            return double.NegativeInfinity;
        if (!_noiseless && (logNoise < Math.Log(MinimumNoise) || logNoise > 0))
            return double.NegativeInfinity;
        var lengthScales = new double[_dimensions];
        double lp = 0;
        for (var d = 0; d < _dimensions; d++)
        {
            var logL = state[3 + d];
            if (!(logL >= Math.Log(MinLengthScale) && logL <= Math.Log(MaxLengthScale)))
                return double.NegativeInfinity;
            lengthScales[d] = Math.Exp(logL);
            // ln ℓ uniform: no Jacobian term (the scale-free form of Spearmint's top-hat; see docs/tuning.md).
        }
        lp += -0.5 * mean * mean;
        var halfLogAmplitude = 0.5 * logAmplitude;
        lp += -0.5 * halfLogAmplitude * halfLogAmplitude;
        var noise = Math.Exp(logNoise);
        if (!_noiseless)
            lp += Math.Log(Math.Log(1 + NoiseScale / noise * (NoiseScale / noise))) + logNoise;
        try
        {
            var gp = new GaussianProcess(_x, _y, new GpHyperparameters(mean, Math.Exp(logAmplitude), noise, lengthScales));
            var ll = gp.LogMarginalLikelihood;
            return double.IsFinite(ll) ? lp + ll : double.NegativeInfinity;
        }
        catch (InvalidOperationException)
        {
            return double.NegativeInfinity;
        }
    }

    internal static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
