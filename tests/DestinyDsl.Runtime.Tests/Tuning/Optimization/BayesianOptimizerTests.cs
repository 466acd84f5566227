using DestinyDsl.Runtime.Tuning;
using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tests.Tuning.Optimization;

public class BayesianOptimizerTests
{
    private static readonly SearchSpace Mixed = new(
    [
        new SearchDimension("lr", 0.01, 1e-4, 1e-1, Log: true, Integer: false),
        new SearchDimension("width", 64, 8, 256, Log: true, Integer: true),
        new SearchDimension("act", 0, 0, 2, Log: false, Integer: false, Choices: [0.0, 1.0, 2.0]),
    ]);

    private static double MixedObjective(TrialParameters p) =>
        Math.Pow(Math.Log10(p["lr"]) + 2.3, 2) + Math.Pow(Math.Log2(p["width"]) - 6.5, 2) / 4 + (p["act"] == 1 ? 0 : 0.7);

    [Fact]
    public void InitialDesignHasMaxOf5And2DPoints()
    {
        Assert.Equal(5, new BayesianOptimizer(TestProblems.Branin.Space).InitialPoints);
        Assert.Equal(12, new BayesianOptimizer(TestProblems.Hartmann6.Space).InitialPoints);
        Assert.Equal(10, new BayesianOptimizer(Mixed).InitialPoints); // 5 columns (a choice of 3 is 3)
        Assert.Equal(12, new BayesianOptimizer(Mixed, new OptimizerSettings { InitialPoints = 12 }).InitialPoints);
    }

    [Fact]
    public void IsDeterministicForASeed()
    {
        static List<TrialParameters> Run(int seed)
        {
            var optimizer = new BayesianOptimizer(Mixed, new OptimizerSettings { Seed = seed, CandidateCount = 300 });
            var asked = new List<TrialParameters>();
            for (var i = 0; i < 14; i++) // 10 initial points, then 4 from the GP
            {
                var trial = optimizer.Ask();
                asked.Add(trial.Parameters);
                optimizer.Tell(trial.Id, MixedObjective(trial.Parameters));
            }
            return asked;
        }
        Assert.Equal(Run(4), Run(4));
        Assert.NotEqual(Run(4), Run(5));
    }

    [Fact]
    public void OptimisesAMixedSpaceAndMaximises()
    {
        // Maximise −objective over log, log-integer and choice dimensions; every suggestion is a valid setting.
        var optimizer = new BayesianOptimizer(Mixed, new OptimizerSettings { Seed = 2, Direction = OptimizationDirection.Maximize, CandidateCount = 500 });
        for (var i = 0; i < 25; i++)
        {
            var trial = optimizer.Ask();
            Assert.Contains(trial.Parameters["act"], new[] { 0.0, 1.0, 2.0 });
            Assert.Equal(Math.Round(trial.Parameters["width"]), trial.Parameters["width"]);
            optimizer.Tell(trial.Id, -MixedObjective(trial.Parameters));
        }
        var best = optimizer.Best!;
        Assert.Equal(1.0, best.Parameters["act"]);
        Assert.True(best.Value > -0.05, $"best {best.Value} at {best.Parameters}");
        Assert.Equal(optimizer.Observations.Max(o => o.Value), best.Value);
    }

    [Fact]
    public void DivergedTrialsAndAbandonedOnesDoNotStopTheStudy()
    {
        var optimizer = new BayesianOptimizer(TestProblems.Branin.Space, new OptimizerSettings { Seed = 3, CandidateCount = 300 });
        for (var i = 0; i < 12; i++)
        {
            var trial = optimizer.Ask();
            if (i % 4 == 1)
                optimizer.Tell(trial.Id, double.NaN);
            else if (i % 4 == 2)
                optimizer.Abandon(trial.Id);
            else
                optimizer.Tell(trial.Id, TestProblems.Branin.Function(trial.Parameters));
        }
        Assert.Equal(9, optimizer.Observations.Count);
        Assert.Empty(optimizer.Pending);
        Assert.True(double.IsFinite(optimizer.Best!.Value));
        Assert.Throws<ArgumentException>(() => optimizer.Tell(99, 1.0));
    }

    [Fact]
    public void ConcurrentSuggestionsAreDistinctAndSpread()
    {
        // At every stage of a study (initial design and model phase), four workers asking in a row get four
        // different settings, at least PendingSpacing (0.02) apart in the unit cube (the Sobol design is spread anyway).
        var problem = TestProblems.Branin;
        var optimizer = new BayesianOptimizer(problem.Space, new OptimizerSettings { Seed = 7, Noiseless = true, CandidateCount = 1000 });
        var minimumDistance = double.PositiveInfinity;
        for (var round = 0; round < 10; round++)
        {
            var trials = Enumerable.Range(0, 4).Select(_ => optimizer.Ask()).ToArray();
            Assert.Equal(4, trials.Select(t => t.Parameters).Distinct().Count());
            Assert.Equal(4, optimizer.Pending.Count);
            var points = trials.Select(t => optimizer.Encoder.Encode(t.Parameters)).ToArray();
            for (var i = 0; i < 4; i++)
                for (var j = 0; j < i; j++)
                    minimumDistance = Math.Min(minimumDistance, Math.Sqrt(points[i].Zip(points[j], (a, b) => (a - b) * (a - b)).Sum()));
            foreach (var trial in trials)
                optimizer.Tell(trial.Id, problem.Function(trial.Parameters));
        }
        Assert.True(minimumDistance >= 0.02, $"closest concurrent pair {minimumDistance}");
    }

    [Fact]
    public void SuggestNeverReturnsAPendingSettingOfADiscreteSpace()
    {
        // Six settings in all: with five pending, the sixth is the only answer.
        var space = new SearchSpace([new SearchDimension("n", 2, 1, 3, Log: false, Integer: true), new SearchDimension("c", 0, 0, 1, false, false, [0.0, 1.0])]);
        var optimizer = new BayesianOptimizer(space, new OptimizerSettings { Seed = 1, CandidateCount = 100 });
        for (var i = 0; i < 6; i++)
            optimizer.Tell(TrialParameters.Of(("n", 1 + i % 3), ("c", i / 3)), i);
        var pending = new List<TrialParameters>();
        for (var i = 0; i < 6; i++)
        {
            var next = optimizer.Suggest(pending);
            Assert.DoesNotContain(next, pending);
            pending.Add(next);
        }
        Assert.Equal(6, pending.Distinct().Count());
    }
}
