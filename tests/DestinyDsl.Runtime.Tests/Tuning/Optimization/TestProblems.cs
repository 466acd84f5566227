using DestinyDsl.Runtime.Tuning;
using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tests.Tuning.Optimization;

/// <summary>
/// Branin and Hartmann-6 (botorch/HPOlib definitions) as search spaces, and the loop that runs the optimiser on
/// them (sequentially or in synchronous batches of concurrent pending trials). Shared with benchmarks/Tuning.
/// </summary>
public static class TestProblems
{
    public sealed record Problem(string Name, SearchSpace Space, Func<TrialParameters, double> Function, double Minimum);

    public const double BraninMinimum = 0.39788735772973816;
    public const double Hartmann6Minimum = -3.322368011391339;

    public static double BraninAt(double x1, double x2)
    {
        const double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        var u = x2 - b * x1 * x1 + c * x1 - 6;
        return u * u + 10 * (1 - t) * Math.Cos(x1) + 10;
    }

    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] P =
    {
        { 1312, 1696, 5569, 124, 8283, 5886 },
        { 2329, 4135, 8307, 3736, 1004, 9991 },
        { 2348, 1451, 3522, 2883, 3047, 6650 },
        { 4047, 8828, 8732, 5743, 1091, 381 },
    };

    public static double Hartmann6At(IReadOnlyList<double> x)
    {
        double f = 0;
        for (var i = 0; i < 4; i++)
        {
            double s = 0;
            for (var j = 0; j < 6; j++)
            {
                var d = x[j] - 1e-4 * P[i, j];
                s += A[i, j] * d * d;
            }
            f -= Alpha[i] * Math.Exp(-s);
        }
        return f;
    }

    public static Problem Branin { get; } = new(
        "Branin",
        new SearchSpace([new SearchDimension("x1", 2.5, -5, 10, false, false), new SearchDimension("x2", 7.5, 0, 15, false, false)]),
        p => BraninAt(p["x1"], p["x2"]),
        BraninMinimum);

    public static Problem Hartmann6 { get; } = new(
        "Hartmann-6",
        new SearchSpace(Enumerable.Range(1, 6).Select(i => new SearchDimension("x" + i, 0.5, 0, 1, false, false)).ToArray()),
        p => Hartmann6At(Enumerable.Range(1, 6).Select(i => p["x" + i]).ToArray()),
        Hartmann6Minimum);

    /// <summary>
    /// Runs <paramref name="evaluations"/> evaluations: batches of <paramref name="batch"/> trials asked one after the
    /// other (each seeing the earlier ones of its batch as pending), then told together. Returns the best-so-far
    /// regret after each evaluation.
    /// </summary>
    public static double[] Run(Problem problem, int seed, int evaluations, int batch = 1, OptimizerSettings? settings = null, Action<IReadOnlyList<Trial>>? onBatch = null)
    {
        var optimizer = new BayesianOptimizer(problem.Space, (settings ?? new OptimizerSettings { Noiseless = true }) with { Seed = seed });
        var regret = new double[evaluations];
        var best = double.PositiveInfinity;
        var done = 0;
        while (done < evaluations)
        {
            var trials = new List<Trial>();
            for (var i = 0; i < batch && done + i < evaluations; i++)
                trials.Add(optimizer.Ask());
            onBatch?.Invoke(trials);
            foreach (var trial in trials)
            {
                var value = problem.Function(trial.Parameters);
                optimizer.Tell(trial.Id, value);
                best = Math.Min(best, value);
                regret[done++] = best - problem.Minimum;
            }
        }
        return regret;
    }

    /// <summary>Random search's best-so-far regret (uniform in the box), for comparison.</summary>
    public static double[] RandomSearch(Problem problem, int seed, int evaluations)
    {
        var random = new Random(seed);
        var encoder = new SpaceEncoder(problem.Space);
        var regret = new double[evaluations];
        var best = double.PositiveInfinity;
        for (var n = 0; n < evaluations; n++)
        {
            var u = Enumerable.Range(0, encoder.Dimensions).Select(_ => random.NextDouble()).ToArray();
            best = Math.Min(best, problem.Function(encoder.Decode(u)));
            regret[n] = best - problem.Minimum;
        }
        return regret;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }
}
