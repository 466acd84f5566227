using DestinyDsl.Runtime.Tuning;
using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tests.Tuning.Optimization;

public class SpaceEncoderTests
{
    private static readonly SearchSpace Space = new(
    [
        new SearchDimension("optimizer.learning_rate", 0.01, 1e-4, 1e-1, Log: true, Integer: false),
        new SearchDimension("h1.width", 128, 16, 512, Log: true, Integer: true),
        new SearchDimension("epochs", 10, 2, 30, Log: false, Integer: true),
        new SearchDimension("h1.dropout", 0.1, 0, 0.5, Log: false, Integer: false),
        new SearchDimension("activation", 1, 0, 2, Log: false, Integer: false, Choices: [0.0, 1.0, 2.0]),
        new SearchDimension("denoising", 0.2, 0.1, 0.3, Log: false, Integer: false, Choices: [0.1, 0.2, 0.3]),
    ]);

    [Fact]
    public void ChoicesAreOneHotColumns()
    {
        var encoder = new SpaceEncoder(Space);
        Assert.Equal(4 + 3 + 3, encoder.Dimensions);
        var u = encoder.Encode(TrialParameters.Of(("optimizer.learning_rate", 1e-3), ("h1.width", 64), ("epochs", 7),
            ("h1.dropout", 0.25), ("activation", 2), ("denoising", 0.1)));
        Assert.Equal([0, 0, 1], u[4..7]);
        Assert.Equal([1, 0, 0], u[7..10]);
        Assert.Equal(0.5, u[3], 12);
        Assert.Equal(1.0 / 3, u[0], 12); // ln 1e-3 is ⅓ of the way from ln 1e-4 to ln 1e-1
    }

    [Fact]
    public void RoundTripsExactly()
    {
        var encoder = new SpaceEncoder(Space);
        var random = new Random(3);
        for (var i = 0; i < 2000; i++)
        {
            var u = Enumerable.Range(0, encoder.Dimensions).Select(_ => random.NextDouble()).ToArray();
            var p = encoder.Decode(u);
            // Exactly representable settings.
            Assert.InRange(p["optimizer.learning_rate"], 1e-4, 1e-1);
            Assert.Equal(Math.Round(p["h1.width"]), p["h1.width"]);
            Assert.InRange(p["h1.width"], 16, 512);
            Assert.Equal(Math.Round(p["epochs"]), p["epochs"]);
            Assert.InRange(p["epochs"], 2, 30);
            Assert.Contains(p["activation"], new[] { 0.0, 1.0, 2.0 });
            Assert.Contains(p["denoising"], new[] { 0.1, 0.2, 0.3 });
            // Decode(Encode(p)) = p: exactly for integers and choices, to the last bits for exp/ln of log ranges;
            // Project is idempotent, and the in-place projection agrees with Encode∘Decode.
            var canonical = encoder.Encode(p);
            var back = encoder.Decode(canonical);
            foreach (var (path, value) in p)
                if (path == "optimizer.learning_rate")
                    Assert.Equal(value, back[path], value * 1e-14);
                else
                    Assert.Equal(value, back[path]);
            var projected = encoder.Project(canonical);
            var inPlace = (double[])u.Clone();
            encoder.ProjectInPlace(inPlace);
            for (var d = 0; d < canonical.Length; d++)
            {
                Assert.Equal(canonical[d], projected[d], 1e-13);
                Assert.Equal(canonical[d], inPlace[d], 1e-13);
            }
        }
    }

    [Fact]
    public void LogRangeIsUniformInTheExponent()
    {
        var encoder = new SpaceEncoder(new SearchSpace([new SearchDimension("lr", 0.01, 1e-4, 1e-1, Log: true, Integer: false)]));
        Assert.Equal(1e-4, encoder.Decode([0.0])["lr"], 15);
        Assert.Equal(1e-1, encoder.Decode([1.0])["lr"], 15);
        Assert.Equal(Math.Sqrt(1e-4 * 1e-1), encoder.Decode([0.5])["lr"], 12);
        foreach (var value in new[] { 1e-4, 3e-4, 1e-3, 0.0123, 1e-1 })
            Assert.Equal(value, encoder.Decode(encoder.Encode(TrialParameters.Of(("lr", value))))["lr"], 14);
    }

    [Fact]
    public void EveryIntegerOwnsAnEqualBin()
    {
        var encoder = new SpaceEncoder(new SearchSpace([new SearchDimension("n", 2, 1, 4, Log: false, Integer: true)]));
        var counts = new int[5];
        for (var i = 0; i < 4000; i++)
            counts[(int)encoder.Decode([(i + 0.5) / 4000])["n"]]++;
        Assert.Equal([0, 1000, 1000, 1000, 1000], counts);
        var logEncoder = new SpaceEncoder(new SearchSpace([new SearchDimension("w", 64, 16, 512, Log: true, Integer: true)]));
        Assert.Equal(16, logEncoder.Decode([0.0])["w"]);
        Assert.Equal(512, logEncoder.Decode([1.0])["w"]);
        Assert.Equal(91, logEncoder.Decode(logEncoder.Encode(TrialParameters.Of(("w", 91))))["w"]);
    }

    [Fact]
    public void RejectsMalformedSpacesAndParameters()
    {
        Assert.Throws<ArgumentException>(() => new SpaceEncoder(new SearchSpace([new SearchDimension("lr", 0, 0, 1, Log: true, Integer: false)])));
        Assert.Throws<ArgumentException>(() => new SpaceEncoder(new SearchSpace([new SearchDimension("x", 0, 2, 1, Log: false, Integer: false)])));
        var encoder = new SpaceEncoder(Space);
        Assert.Throws<ArgumentException>(() => encoder.Encode(TrialParameters.Of(("h1.width", 64))));
    }

    [Fact]
    public void TrialParametersHaveValueEquality()
    {
        var a = TrialParameters.Of(("a", 1), ("b", 0.5));
        var b = new TrialParameters([new("a", 1.0), new("b", 0.5)]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, TrialParameters.Of(("a", 1), ("b", 0.5000000001)));
        Assert.Equal("a=1, b=0.5", a.ToString());
        Assert.Throws<ArgumentException>(() => TrialParameters.Of(("a", 1), ("a", 2)));
        Assert.Single(new HashSet<TrialParameters> { a, b });
    }
}
