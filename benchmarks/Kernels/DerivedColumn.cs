using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>
/// A summary column computed from a case's median (or best) time and its parameters, e.g. GFLOP/s, % of the FMA
/// peak, GB/s or ns per non-zero. Empty for cases it does not apply to. On a shared machine the median shows what a
/// run typically gets, the best time what the kernel gets when nothing else runs.
/// </summary>
public sealed class DerivedColumn(string name, string legend, Func<BenchmarkCase, double, double?> fromNanoseconds, string format = "F1", bool best = false) : IColumn
{
    public string Id => "Derived." + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics == null)
        {
            return "-";
        }
        var value = fromNanoseconds(benchmarkCase, best ? statistics.Min : statistics.Median);
        return value.HasValue ? value.Value.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>The value of parameter <paramref name="name"/> of a case, if it has one.</summary>
    public static T? Parameter<T>(BenchmarkCase benchmarkCase, string name)
        where T : class
        => benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value as T;

    /// <summary>The integer parameter <paramref name="name"/> of a case, if it has one.</summary>
    public static int? IntParameter(BenchmarkCase benchmarkCase, string name)
        => benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value is int value ? value : null;
}
