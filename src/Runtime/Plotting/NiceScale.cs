namespace DestinyDsl.Runtime.Plotting;

/// <summary>
/// An axis range widened to round numbers with ticks at 1, 2 or 5 × 10^n, so labels read 0, 50, 100 rather than
/// 3.7, 51.2, 98.7.
/// </summary>
internal readonly record struct NiceScale(double Min, double Max, double Step)
{
    private const double Tolerance = 1e-9;

    public static NiceScale For(double dataMin, double dataMax, int maxTicks = 8)
    {
        if (!double.IsFinite(dataMin) || !double.IsFinite(dataMax))
        {
            dataMin = 0;
            dataMax = 1;
        }
        if (dataMax < dataMin) (dataMin, dataMax) = (dataMax, dataMin);
        if (dataMax == dataMin)
        {
            // A flat line still gets an axis around its value.
            var pad = dataMin == 0 ? 1 : Math.Abs(dataMin) * 0.1;
            dataMin -= pad;
            dataMax += pad;
        }

        var step = Nice((dataMax - dataMin) / (maxTicks - 1));
        // The tolerance keeps rounding noise (0.3 / 0.1 = 2.9999999999999996) from adding a tick.
        var min = Math.Floor((dataMin / step) + Tolerance) * step;
        var max = Math.Ceiling((dataMax / step) - Tolerance) * step;
        return new NiceScale(min, max, step);
    }

    /// <summary>Tick values from Min to Max inclusive.</summary>
    public IEnumerable<double> Ticks()
    {
        var count = (int)Math.Round((Max - Min) / Step);
        for (var i = 0; i <= count; i++)
        {
            var value = Min + (i * Step);
            yield return Math.Abs(value) < Step * 1e-9 ? 0 : value;   // no "-0" or 1e-17 labels
        }
    }

    /// <summary>The smallest of 1, 2, 5 × 10^n that is at least <paramref name="rough"/>.</summary>
    private static double Nice(double rough)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / magnitude;
        var nice = fraction <= 1 + Tolerance ? 1 : fraction <= 2 + Tolerance ? 2 : fraction <= 5 + Tolerance ? 5 : 10;
        return nice * magnitude;
    }
}
