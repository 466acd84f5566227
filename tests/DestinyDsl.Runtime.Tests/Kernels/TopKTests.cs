using DestinyDsl.Runtime.Kernels;

namespace DestinyDsl.Runtime.Tests.Kernels;

public class TopKTests
{
    private static (int[] Indices, float[] Values, int Count) Run(bool fast, float[] scores, int k, int[] exclude)
    {
        var indices = new int[Math.Max(k, 0)];
        var values = new float[Math.Max(k, 0)];
        var count = fast ? TopK.Select(scores, k, exclude, indices, values) : TopKReference.Select(scores, k, exclude, indices, values);
        return (indices[..count], values[..count], count);
    }

    [Fact]
    public void MatchesSortingReferenceWithTiesNaNInfinitiesAndExclusions()
    {
        var random = new Random(41);
        for (var trial = 0; trial < 400; trial++)
        {
            var n = trial < 20 ? trial : random.Next(0, trial % 10 == 0 ? 30000 : 300);
            var levels = random.Next(1, 50);   // few distinct values: many ties
            var scores = new float[n];
            for (var i = 0; i < n; i++)
            {
                scores[i] = random.Next(20) switch
                {
                    0 => float.NaN,
                    1 => float.NegativeInfinity,
                    2 => float.PositiveInfinity,
                    3 => -0f,
                    4 => 0f,
                    _ => random.Next(2) == 0 ? random.Next(levels) : (float)random.NextDouble(),
                };
            }
            var exclude = Enumerable.Range(0, n).Where(_ => random.Next(4) == 0).ToArray();
            var k = random.Next(0, 4) switch { 0 => random.Next(0, 5), 1 => n + random.Next(0, 3), _ => random.Next(0, Math.Min(n, 120) + 1) };

            var expected = Run(fast: false, scores, k, exclude);
            var actual = Run(fast: true, scores, k, exclude);
            var context = $"trial {trial}: n={n} k={k} excluded={exclude.Length}";
            Assert.True(expected.Count == actual.Count, $"{context}: {actual.Count} selected, expected {expected.Count}");
            Assert.True(expected.Indices.SequenceEqual(actual.Indices), $"{context}: indices {string.Join(",", actual.Indices.Take(12))} expected {string.Join(",", expected.Indices.Take(12))}");
            KernelTestData.AssertBitwiseEqual(expected.Values, actual.Values, context);
        }
    }

    [Fact]
    public void NaNIsNeverSelectedEvenWhenCandidatesRunOut()
    {
        float[] scores = [float.NaN, 1, float.NaN, 2, float.NaN];
        var result = Run(fast: true, scores, 5, []);
        Assert.Equal(2, result.Count);
        Assert.Equal(new[] { 3, 1 }, result.Indices);
    }

    [Fact]
    public void TiesKeepTheLowerIndexAndExcludedNeverAppear()
    {
        float[] scores = [5, 7, 7, 5, 7, 9];
        var result = Run(fast: true, scores, 3, [5]);
        Assert.Equal(new[] { 1, 2, 4 }, result.Indices);
        Assert.Equal(new float[] { 7, 7, 7 }, result.Values);
    }

    [Fact]
    public void UnsortedExclusionsAndShortOutputsAreReported()
    {
        var scores = new float[10];
        Assert.Contains("must be ascending", Assert.Throws<ArgumentException>(() => TopK.Select(scores, 3, [4, 2], new int[3], new float[3])).Message);
        Assert.Contains("needs 3 each", Assert.Throws<ArgumentException>(() => TopK.Select(scores, 3, [], new int[2], new float[3])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TopK.Select(scores, -1, [], [], []));
    }
}
