namespace DestinyDsl.Benchmarks.HeadToHead;

/// <summary>Samples/s of every run, by contender; medians, the best PyTorch environment and the ratios.</summary>
internal sealed class Results
{
    private const string Ours = "destinydsl";
    private readonly Dictionary<string, List<double>> _runs = new();

    public void Record(string contender, double samplesPerSecond)
    {
        if (!_runs.TryGetValue(contender, out var list)) _runs[contender] = list = new List<double>();
        list.Add(samplesPerSecond);
        Console.WriteLine($"  {contender,-36} {samplesPerSecond,9:F1} samples/s");
    }

    /// <summary>The last samples/s recorded for <paramref name="contender"/>.</summary>
    public double Last(string contender) => _runs[contender][^1];

    public void PrintSummary(double flopsPerSample, double peakGflops)
    {
        var ours = Median(_runs[Ours]);
        var peers = _runs.Where(r => r.Key != Ours).Select(r => (Name: r.Key, Median: Median(r.Value))).OrderByDescending(p => p.Median).ToArray();
        Console.WriteLine("median samples/s (markdown):");
        Console.WriteLine();
        Console.WriteLine("| contender | samples/s | GFLOP/s | % of FMA peak | destinydsl / contender |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(Row(Ours, ours, ours));
        foreach (var (name, median) in peers) Console.WriteLine(Row(name, median, ours));
        Console.WriteLine();
        if (peers.Length > 0)
        {
            var best = peers[0];
            Console.WriteLine($"ratio against PyTorch at its best ({best.Name}): {ours / best.Median:F2}×");
        }
        Console.WriteLine($"destinydsl over the whole step: {ours * flopsPerSample / 1e9:F1} GFLOP/s = {100 * ours * flopsPerSample / 1e9 / peakGflops:F1}% of the FMA peak");

        string Row(string name, double median, double ourMedian)
            => $"| {name} | {median:F1} | {median * flopsPerSample / 1e9:F1} | {100 * median * flopsPerSample / 1e9 / peakGflops:F1}% | {(name == Ours ? "" : $"{ourMedian / median:F2}×")} |";
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
