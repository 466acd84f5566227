using System.Text;
using DestinyDsl.Runtime.Plotting;
using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Runtime.Tuning.Studies;

/// <summary>
/// SVG reports of a study, drawn with <see cref="SvgLineChart"/>: best objective vs trials, best objective vs time,
/// and one panel (file) per dimension with each trial's value against the objective. Points are drawn as dots: a
/// series whose points are separated by non-finite ones is, for the line chart, a run of lone points.
/// </summary>
public static class StudyPlots
{
    /// <summary>
    /// Writes <c>best-vs-trials.svg</c>, <c>best-vs-time.svg</c> and <c>dimension-NN-PATH.svg</c> (one per
    /// dimension of <paramref name="space"/>) into <paramref name="directory"/> (created if needed); returns the files.
    /// </summary>
    public static IReadOnlyList<string> Write(StudyResult result, SearchSpace space, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        var minimize = result.Direction == OptimizationDirection.Minimize;
        var objectiveLabel = minimize ? "objective (lower is better)" : "objective (higher is better)";

        // Best so far, in the order trials finished.
        var byEnd = result.Trials.OrderBy(t => t.Ended).ThenBy(t => t.Id).ToArray();
        var t0 = result.Trials.Count == 0 ? DateTimeOffset.UtcNow : result.Trials.Min(t => t.Started);
        var vsTrials = new List<(double, double)>();
        var vsTime = new List<(double, double)>();
        var best = double.NaN;
        for (var i = 0; i < byEnd.Length; i++)
        {
            var t = byEnd[i];
            var seconds = (t.Ended - t0).TotalSeconds;
            if (t.State == TrialState.Completed && (double.IsNaN(best) || (minimize ? t.Value < best : t.Value > best)))
            {
                if (!double.IsNaN(best))
                    vsTime.Add((seconds, best)); // a step: the old best up to this moment
                best = t.Value;
            }
            vsTrials.Add((i + 1, best));
            vsTime.Add((seconds, best));
        }
        files.Add(Chart(directory, "best-vs-trials.svg", "Best objective vs trials", "trials finished", "best " + objectiveLabel, [new ChartSeries("best so far", [.. vsTrials])]));
        files.Add(Chart(directory, "best-vs-time.svg", "Best objective vs time", "seconds since the first trial started", "best " + objectiveLabel, [new ChartSeries("best so far", [.. vsTime])]));

        for (var d = 0; d < space.Dimensions.Count; d++)
        {
            var dim = space.Dimensions[d];
            double X(double v) => dim.Log ? Math.Log10(v) : v;
            var series = new List<ChartSeries>();
            foreach (var (state, name) in new[] { (TrialState.Completed, "completed"), (TrialState.Pruned, "pruned (last epoch)") })
            {
                var points = new List<(double, double)>();
                foreach (var t in result.Trials)
                {
                    if (t.State != state || !double.IsFinite(t.Value) || !t.Parameters.TryGetValue(dim.Path, out var v))
                        continue;
                    if (points.Count > 0)
                        points.Add((double.NaN, double.NaN)); // separates the points: each is drawn as a dot
                    points.Add((X(v), t.Value));
                }
                if (points.Count > 0 || state == TrialState.Completed)
                    series.Add(new ChartSeries(name, [.. points]));
            }
            var file = $"dimension-{d:00}-{Sanitize(dim.Path)}.svg";
            files.Add(Chart(directory, file, $"{dim.Path} vs objective", dim.Log ? $"log10({dim.Path})" : dim.Path, objectiveLabel, series));
        }
        return files;
    }

    private static string Chart(string directory, string name, string title, string x, string y, IReadOnlyList<ChartSeries> series)
    {
        var path = Path.Combine(directory, name);
        SvgLineChart.Write(path, title, x, y, series);
        return path;
    }

    private static string Sanitize(string path)
    {
        var text = new StringBuilder(path.Length);
        foreach (var c in path)
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return text.ToString();
    }
}
