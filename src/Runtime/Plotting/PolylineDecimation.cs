namespace DestinyDsl.Runtime.Plotting;

/// <summary>
/// Reduces a long run of points to what a screen can show: per pixel column the first, lowest, highest and last
/// point, in their original order, so spikes survive (plain every-n-th sampling would drop them).
/// </summary>
internal static class PolylineDecimation
{
    /// <summary>Pixel points of one unbroken run; decimated when x never decreases and there are many more points than columns.</summary>
    public static List<(double X, double Y)> Reduce(List<(double X, double Y)> pixels, double plotWidth)
    {
        var columns = Math.Max(1, (int)Math.Ceiling(plotWidth));
        if (pixels.Count <= 4 * columns || !IsNonDecreasing(pixels)) return pixels;

        var result = new List<(double X, double Y)>(4 * columns);
        var start = 0;
        while (start < pixels.Count)
        {
            var column = Math.Floor(pixels[start].X);
            var end = start;
            int low = start, high = start;
            while (end + 1 < pixels.Count && Math.Floor(pixels[end + 1].X) == column)
            {
                end++;
                if (pixels[end].Y < pixels[low].Y) low = end;
                if (pixels[end].Y > pixels[high].Y) high = end;
            }
            // Keep the four extremes of this column in the order they occurred.
            foreach (var index in new SortedSet<int> { start, low, high, end }) result.Add(pixels[index]);
            start = end + 1;
        }
        return result;
    }

    private static bool IsNonDecreasing(List<(double X, double Y)> points)
    {
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].X < points[i - 1].X) return false;
        }
        return true;
    }
}
