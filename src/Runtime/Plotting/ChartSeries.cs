namespace DestinyDsl.Runtime.Plotting;

/// <summary>One line of a chart: its legend name and its points (non-finite points break the line).</summary>
public sealed record ChartSeries(string Name, (double X, double Y)[] Points);
