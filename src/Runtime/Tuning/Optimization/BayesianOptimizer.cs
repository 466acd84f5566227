namespace DestinyDsl.Runtime.Tuning.Optimization;

/// <summary>A completed evaluation: the setting and the objective value as the objective returned it.</summary>
public sealed record Observation(TrialParameters Parameters, double Value);

/// <summary>A suggestion handed out by <see cref="BayesianOptimizer.Ask"/>; pending until told or abandoned.</summary>
public sealed record Trial(int Id, TrialParameters Parameters);

/// <summary>
/// Gaussian-process Bayesian optimisation (Spearmint's GP-EI-MCMC) over a <see cref="SearchSpace"/>.
/// <para>
/// Two ways to drive it. Stateless about pending work: <see cref="Suggest"/> (given the settings still being
/// evaluated) and <see cref="Tell(TrialParameters, double)"/>. Or with trial ids: <see cref="Ask"/> /
/// <see cref="Tell(int, double)"/> / <see cref="Abandon"/>, where pending = asked but not yet told.
/// </para>
/// <para>
/// Method (docs/tuning.md): inputs in the unit cube (<see cref="SpaceEncoder"/>), outputs standardised; the first
/// max(5, 2D) suggestions are points of a seeded Sobol sequence; then a GP with constant mean and Matérn 5/2 ARD
/// kernel whose hyperparameters are slice-sampled (<see cref="OptimizerSettings.HyperparameterSamples"/> samples of
/// one continued chain); the acquisition is expected improvement averaged over the samples, computed in log space;
/// it is maximised by a Sobol sweep plus points sprayed around the incumbent, the best of which are refined by a
/// compass pattern search; pending settings are fantasised at their posterior mean (Kriging believer) and kept
/// <see cref="OptimizerSettings.PendingSpacing"/> away from, so concurrent suggestions differ and stay spread, and a
/// suggestion that decodes to a pending setting is never returned.
/// </para>
/// <para>
/// Deterministic: the same seed and the same sequence of calls give the same suggestions. Not thread-safe: call it
/// from one thread (the study's), or lock around it.
/// </para>
/// </summary>
public sealed class BayesianOptimizer
{
    private readonly List<(Observation Observation, double[] Point)> _observations = [];

    // Settings whose evaluation failed (threw): never suggested again, and they count as used points of the design.
    private readonly HashSet<TrialParameters> _failed = [];
    private readonly Dictionary<int, TrialParameters> _pending = [];
    private readonly SobolSequence _design;
    private readonly Random _random;
    private readonly HyperparameterSampler _sampler;
    private int _nextTrialId;

    /// <summary>Creates an optimiser for <paramref name="space"/>.</summary>
    public BayesianOptimizer(SearchSpace space, OptimizerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        Settings = settings ?? new OptimizerSettings();
        Encoder = new SpaceEncoder(space);
        if (Encoder.Dimensions > SobolSequence.MaxDimensions)
            throw new ArgumentException($"The space has {Encoder.Dimensions} unit-cube columns; at most {SobolSequence.MaxDimensions} are supported.", nameof(space));
        InitialPoints = Math.Max(Settings.InitialPoints, Math.Max(5, 2 * Encoder.Dimensions));
        _random = new Random(Settings.Seed);
        _design = new SobolSequence(Math.Max(1, Encoder.Dimensions), new Random(unchecked(Settings.Seed * 7919 + 17)));
        _sampler = new HyperparameterSampler(Encoder.Dimensions, Settings.Noiseless, _random);
    }

    /// <summary>The settings.</summary>
    public OptimizerSettings Settings { get; }

    /// <summary>The unit-cube encoder of the space.</summary>
    public SpaceEncoder Encoder { get; }

    /// <summary>Quasi-random points before the GP is used: max(settings, 5, 2D) (≥ max(5, D+1)).</summary>
    public int InitialPoints { get; }

    /// <summary>Every completed evaluation, in the order told.</summary>
    public IReadOnlyList<Observation> Observations => _observations.Select(o => o.Observation).ToArray();

    /// <summary>The trials asked and not yet told or abandoned.</summary>
    public IReadOnlyList<Trial> Pending => _pending.OrderBy(p => p.Key).Select(p => new Trial(p.Key, p.Value)).ToArray();

    /// <summary>The best finite observation in the settings' direction, or null.</summary>
    public Observation? Best
    {
        get
        {
            Observation? best = null;
            foreach (var (o, _) in _observations)
                if (double.IsFinite(o.Value) && (best is null || Better(o.Value, best.Value)))
                    best = o;
            return best;
        }
    }

    /// <summary>The GP hyperparameter samples behind the last model-based suggestion (empty before).</summary>
    public IReadOnlyList<GpHyperparameters> LastHyperparameterSamples { get; private set; } = Array.Empty<GpHyperparameters>();

    /// <summary>Asks for the next setting; it stays pending (and is fantasised) until told or abandoned.</summary>
    public Trial Ask()
    {
        var parameters = Suggest(_pending.Values.ToArray());
        var trial = new Trial(_nextTrialId++, parameters);
        _pending.Add(trial.Id, parameters);
        return trial;
    }

    /// <summary>Reports the objective value of an asked trial.</summary>
    /// <exception cref="ArgumentException">No pending trial has this id.</exception>
    public void Tell(int trialId, double value)
    {
        if (!_pending.Remove(trialId, out var parameters))
            throw new ArgumentException($"No pending trial {trialId}.", nameof(trialId));
        Tell(parameters, value);
    }

    /// <summary>Forgets a pending trial without an observation (it failed or was cancelled).</summary>
    public void Abandon(int trialId)
    {
        if (!_pending.Remove(trialId))
            throw new ArgumentException($"No pending trial {trialId}.", nameof(trialId));
    }

    /// <summary>
    /// Records an evaluation (of a suggested setting, or of any setting of the space, e.g. the defaults or a journal
    /// being replayed). A NaN or infinite value (a diverged run) counts as the worst finite value seen so far.
    /// </summary>
    public void Tell(TrialParameters parameters, double value)
    {
        var point = Encoder.Encode(parameters);
        _observations.Add((new Observation(parameters, value), point));
    }

    /// <summary>
    /// Records a setting whose evaluation failed without a value (an exception, out of memory): the optimiser has no
    /// observation to model, but it never suggests that setting again, and the initial design moves past it (without
    /// this, the next design point would be the failed one again).
    /// </summary>
    public void TellFailed(TrialParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _failed.Add(Encoder.Decode(Encoder.Encode(parameters)));
    }

    /// <summary>Settings recorded by <see cref="TellFailed"/>.</summary>
    public IReadOnlyCollection<TrialParameters> Failed => _failed;

    /// <summary>
    /// The next setting to evaluate, given the settings still being evaluated (<paramref name="pending"/>); it never
    /// equals one of them. Does not record anything: pass it back with <see cref="Tell(TrialParameters, double)"/>.
    /// </summary>
    public TrialParameters Suggest(IReadOnlyCollection<TrialParameters>? pending = null)
    {
        pending ??= Array.Empty<TrialParameters>();
        var pendingSet = new HashSet<TrialParameters>(pending);
        // Settings not to suggest again: those observed and those that failed.
        var observedSet = new HashSet<TrialParameters>(_observations.Select(o => Encoder.Decode(o.Point)));
        observedSet.UnionWith(_failed);
        if (Encoder.Dimensions == 0)
            return Encoder.Decode(Array.Empty<double>());
        var finite = _observations.Count(o => double.IsFinite(o.Observation.Value));
        var known = _observations.Count + _failed.Count + pending.Count;
        if (known < InitialPoints || finite < 2)
            return InitialDesign(known, pendingSet, observedSet);
        return ModelBased(pending, pendingSet, observedSet);
    }

    private bool Better(double a, double b) => Settings.Direction == OptimizationDirection.Minimize ? a < b : a > b;

    private TrialParameters InitialDesign(int index, HashSet<TrialParameters> pending, HashSet<TrialParameters> observed)
    {
        var point = new double[Encoder.Dimensions];
        TrialParameters? notPending = null, first = null;
        for (var i = index; i < index + 4096; i++)
        {
            _design.Point(i, point);
            var candidate = Encoder.Decode(point);
            first ??= candidate;
            if (pending.Contains(candidate))
                continue;
            if (!observed.Contains(candidate))
                return candidate;
            notPending ??= candidate;
        }
        return notPending ?? first!; // a tiny discrete space, fully evaluated
    }

    private TrialParameters ModelBased(IReadOnlyCollection<TrialParameters> pending, HashSet<TrialParameters> pendingSet, HashSet<TrialParameters> observedSet)
    {
        // Data: internal minimisation, non-finite values replaced by the worst finite one, standardised.
        var sign = Settings.Direction == OptimizationDirection.Minimize ? 1.0 : -1.0;
        var raw = _observations.Select(o => sign * o.Observation.Value).ToArray();
        var worst = raw.Where(double.IsFinite).Max();
        for (var i = 0; i < raw.Length; i++)
            if (!double.IsFinite(raw[i]))
                raw[i] = worst;
        var mean = raw.Average();
        var sd = Math.Sqrt(raw.Sum(v => (v - mean) * (v - mean)) / raw.Length);
        if (!(sd > 1e-10))
            sd = 1;
        var y = raw.Select(v => (v - mean) / sd).ToArray();
        var x = _observations.Select(o => o.Point).ToArray();
        var incumbent = x[Array.IndexOf(y, y.Min())];

        var samples = _sampler.Sample(x, y, Settings.BurnIn, Math.Max(1, Settings.HyperparameterSamples));
        LastHyperparameterSamples = samples;

        // One GP per sample; pending settings fantasised at their posterior mean (Kriging believer).
        var pendingPoints = pending.Select(Encoder.Encode).ToArray();
        var models = new (GaussianProcess Gp, double Best)[samples.Length];
        for (var s = 0; s < samples.Length; s++)
        {
            var gp = new GaussianProcess(x, y, samples[s]);
            var best = y.Min();
            if (pendingPoints.Length > 0)
            {
                var xs = x.Concat(pendingPoints).ToArray();
                var ys = y.ToList();
                foreach (var p in pendingPoints)
                {
                    var fantasy = gp.Predict(p).Mean;
                    ys.Add(fantasy);
                    best = Math.Min(best, fantasy);
                }
                gp = new GaussianProcess(xs, ys, samples[s]);
            }
            models[s] = (gp, best);
        }
        var acquisition = new Acquisition(models, pendingPoints, Settings.PendingSpacing);

        // Candidates: a freshly shifted Sobol sweep plus a spray around the incumbent.
        var dims = Encoder.Dimensions;
        var sweep = new SobolSequence(dims, _random);
        var candidates = new List<double[]>(Settings.CandidateCount + 20);
        for (var i = 0; i < Settings.CandidateCount; i++)
            candidates.Add(sweep.Point(i));
        for (var i = 0; i < 20; i++)
        {
            var scale = i < 10 ? 1e-3 : 2e-2;
            var c = new double[dims];
            for (var d = 0; d < dims; d++)
                c[d] = Math.Clamp(incumbent[d] + scale * HyperparameterSampler.Gaussian(_random), 0, 1);
            candidates.Add(c);
        }
        var scored = new List<(double Value, double[] Point)>(candidates.Count);
        foreach (var c in candidates)
        {
            Encoder.ProjectInPlace(c);
            scored.Add((acquisition.Evaluate(c), c));
        }
        scored.Sort((a, b) => b.Value.CompareTo(a.Value));

        // Local refinement of the best distinct starts.
        var refined = new List<(double Value, double[] Point)>();
        var starts = new List<double[]>();
        foreach (var (_, point) in scored)
        {
            if (starts.Count >= Settings.LocalStarts)
                break;
            if (starts.Any(s => s.AsSpan().SequenceEqual(point)))
                continue;
            starts.Add(point);
        }
        foreach (var start in starts)
            refined.Add(PatternSearch(acquisition, start));
        refined.AddRange(scored);
        refined.Sort((a, b) => b.Value.CompareTo(a.Value));

        foreach (var (_, point) in refined)
        {
            var candidate = Encoder.Decode(point);
            if (!pendingSet.Contains(candidate) && !observedSet.Contains(candidate))
                return candidate;
        }
        foreach (var (_, point) in refined)
        {
            var candidate = Encoder.Decode(point);
            if (!pendingSet.Contains(candidate))
                return candidate; // every setting near the optimum is taken: re-evaluate one (noise)
        }
        return Encoder.Decode(refined[0].Point);
    }

    private (double Value, double[] Point) PatternSearch(Acquisition acquisition, double[] start)
    {
        var dims = start.Length;
        var x = (double[])start.Clone();
        var fx = acquisition.Evaluate(x);
        var trial = new double[dims];
        var step = 0.05;
        var evaluations = 0;
        while (step > 1e-7 && evaluations < Settings.LocalBudget)
        {
            var improved = false;
            for (var d = 0; d < dims && evaluations < Settings.LocalBudget; d++)
            {
                foreach (var direction in (ReadOnlySpan<double>)[1.0, -1.0])
                {
                    Array.Copy(x, trial, dims);
                    trial[d] = Math.Clamp(x[d] + direction * step, 0, 1);
                    Encoder.ProjectInPlace(trial);
                    if (trial.AsSpan().SequenceEqual(x))
                        continue;
                    var f = acquisition.Evaluate(trial);
                    evaluations++;
                    if (f > fx)
                    {
                        (x, trial) = (trial, x);
                        fx = f;
                        improved = true;
                        break;
                    }
                }
            }
            if (!improved)
                step *= 0.5;
        }
        return (fx, x);
    }

    /// <summary>
    /// ln of the expected improvement averaged over hyperparameter samples (log-sum-exp). Points closer than
    /// <c>spacing</c> (unit-cube distance) to a pending setting score below every other point (−1e100·(2 − d/spacing),
    /// rising with the distance so the pattern search walks out of the exclusion ball).
    /// </summary>
    private sealed class Acquisition((GaussianProcess Gp, double Best)[] models, double[][] pending, double spacing)
    {
        private readonly double[] _work = new double[models.Max(m => m.Gp.Count)];
        private readonly double[] _logs = new double[models.Length];

        public double Evaluate(double[] point)
        {
            if (spacing > 0)
                foreach (var p in pending)
                {
                    double d2 = 0;
                    for (var d = 0; d < point.Length; d++)
                        d2 += (point[d] - p[d]) * (point[d] - p[d]);
                    if (d2 < spacing * spacing)
                        return -1e100 * (2 - Math.Sqrt(d2) / spacing);
                }
            var max = double.NegativeInfinity;
            for (var s = 0; s < models.Length; s++)
            {
                var (mu, variance) = models[s].Gp.Predict(point, _work);
                _logs[s] = NormalMath.LogExpectedImprovement(mu, variance, models[s].Best);
                max = Math.Max(max, _logs[s]);
            }
            double sum = 0;
            for (var s = 0; s < models.Length; s++)
                sum += Math.Exp(_logs[s] - max);
            return max + Math.Log(sum / models.Length);
        }
    }
}
