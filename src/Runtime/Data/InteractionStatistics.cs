namespace DestinyDsl.Runtime.Data;

/// <summary>Quantiles of a count distribution (per-row history lengths or per-column popularity).</summary>
public sealed record CountQuantiles(long Min, double P10, double P25, double Median, double P75, double P90, long Max, double Mean)
{
    /// <summary>Quantiles of <paramref name="counts"/> (linear interpolation between order statistics).</summary>
    public static CountQuantiles Of(ReadOnlySpan<long> counts)
    {
        if (counts.IsEmpty) throw new ArgumentException("No counts.", nameof(counts));
        var sorted = counts.ToArray();
        Array.Sort(sorted);
        double Q(double q)
        {
            var at = q * (sorted.Length - 1);
            var lo = (int)Math.Floor(at);
            var hi = Math.Min(lo + 1, sorted.Length - 1);
            return sorted[lo] + ((at - lo) * (sorted[hi] - sorted[lo]));
        }
        var mean = 0.0;
        foreach (var c in sorted) mean += c;
        return new CountQuantiles(sorted[0], Q(0.1), Q(0.25), Q(0.5), Q(0.75), Q(0.9), sorted[^1], mean / sorted.Length);
    }
}

/// <summary>Shape statistics of an interaction matrix, to compare datasets (real MovieLens against synthetic).</summary>
/// <param name="PopularityExponent">
/// Minus the least-squares slope of ln(count) against ln(rank) over popularity ranks 10 … ⌈Columns/2⌉ (items
/// sorted by count, rank 1 = most popular; zero counts excluded): the Zipf exponent of the body of the curve.
/// NaN when fewer than two ranks qualify.
/// </param>
public sealed record InteractionStatistics(int Rows, int Columns, long Interactions, double Density, CountQuantiles History, CountQuantiles Popularity, double PopularityExponent)
{
    /// <summary>Computes the statistics of <paramref name="matrix"/>.</summary>
    public static InteractionStatistics Of(SparseMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rows == 0) throw new ArgumentException("The matrix has no rows.", nameof(matrix));
        var history = new long[matrix.Rows];
        for (var r = 0; r < matrix.Rows; r++) history[r] = matrix.RowLength(r);
        var popularity = new long[matrix.Columns];
        foreach (var c in matrix.ColumnIndices) popularity[c]++;
        return new InteractionStatistics(matrix.Rows, matrix.Columns, matrix.NonZeroCount, matrix.Density,
            CountQuantiles.Of(history), CountQuantiles.Of(popularity), ZipfExponent(popularity));
    }

    private static double ZipfExponent(long[] counts)
    {
        var sorted = counts.Where(c => c > 0).OrderByDescending(c => c).ToArray();
        var last = Math.Min(sorted.Length, (counts.Length + 1) / 2);
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        var n = 0;
        for (var rank = 10; rank <= last; rank++)
        {
            var x = Math.Log(rank);
            var y = Math.Log(sorted[rank - 1]);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            n++;
        }
        if (n < 2) return double.NaN;
        var slope = ((n * sxy) - (sx * sy)) / ((n * sxx) - (sx * sx));
        return -slope;
    }
}
