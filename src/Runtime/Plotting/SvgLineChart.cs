using System.Globalization;
using System.Text;
using System.Xml;
using DestinyDsl.Runtime.Data.IO;

namespace DestinyDsl.Runtime.Plotting;

/// <summary>
/// Writes a standalone SVG line chart: title, axes with round-number ticks and grid lines, axis labels, one
/// coloured polyline per series and a legend. Non-finite points are left out and break their line; long series
/// are decimated per pixel column (keeping minima and maxima). The file is written atomically.
/// </summary>
public static class SvgLineChart
{
    private const double Width = 860;
    private const double Height = 500;
    private const double Left = 80;
    private const double Top = 50;
    private const double Bottom = 60;
    private const double LegendGap = 24;
    private const double CharWidth = 7;   // average width of a 12 px sans-serif character, for sizing the legend
    private const string SvgNamespace = "http://www.w3.org/2000/svg";

    // Tableau 10: distinguishable, colour-blind-friendly categorical colours.
    private static readonly string[] Palette =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>Writes the chart to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void Write(string path, string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(xLabel);
        ArgumentNullException.ThrowIfNull(yLabel);
        ArgumentNullException.ThrowIfNull(series);
        for (var s = 0; s < series.Count; s++)
        {
            if (series[s] is null) throw new ArgumentException($"Series {s} is null.", nameof(series));
            if (series[s].Name is null) throw new ArgumentException($"Series {s} has no name.", nameof(series));
            if (series[s].Points is null) throw new ArgumentException($"Series '{series[s].Name}' has no points array.", nameof(series));
        }

        AtomicFile.Write(path, stream =>
        {
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CloseOutput = false };
            using var xml = XmlWriter.Create(stream, settings);
            Render(xml, title, xLabel, yLabel, series);
        });
    }

    private static void Render(XmlWriter xml, string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
    {
        var longestName = series.Count == 0 ? 0 : series.Max(s => s.Name.Length);
        var right = series.Count == 0 ? 30 : Math.Min(300, LegendGap + 30 + (longestName * CharWidth) + 20);
        var plot = new PlotArea(Left, Top, Width - Left - right, Height - Top - Bottom);
        var (xScale, yScale) = Scales(series);

        xml.WriteStartDocument();
        xml.WriteStartElement("svg", SvgNamespace);
        Attr(xml, "width", Width);
        Attr(xml, "height", Height);
        xml.WriteAttributeString("viewBox", $"0 0 {Num(Width)} {Num(Height)}");
        xml.WriteAttributeString("font-family", "sans-serif");
        xml.WriteAttributeString("font-size", "12");

        Rect(xml, 0, 0, Width, Height, fill: "white", stroke: null);
        Text(xml, title, Width / 2, Top / 2 + 6, anchor: "middle", size: 16, weight: "bold");
        Axes(xml, plot, xScale, yScale);
        Text(xml, xLabel, plot.Left + plot.Width / 2, Height - 14, anchor: "middle");
        Text(xml, yLabel, 18, plot.Top + plot.Height / 2, anchor: "middle", rotate: true);

        for (var s = 0; s < series.Count; s++) Series(xml, plot, xScale, yScale, series[s], Palette[s % Palette.Length]);
        Legend(xml, plot, series);

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static (NiceScale X, NiceScale Y) Scales(IReadOnlyList<ChartSeries> series)
    {
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (var s in series)
        {
            foreach (var (x, y) in s.Points)
            {
                if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
                xMin = Math.Min(xMin, x);
                xMax = Math.Max(xMax, x);
                yMin = Math.Min(yMin, y);
                yMax = Math.Max(yMax, y);
            }
        }
        return (NiceScale.For(xMin, xMax), NiceScale.For(yMin, yMax));
    }

    private static void Axes(XmlWriter xml, PlotArea plot, NiceScale x, NiceScale y)
    {
        xml.WriteStartElement("g", SvgNamespace);
        xml.WriteAttributeString("class", "axes");
        var xFormat = TickFormat(x);
        foreach (var tick in x.Ticks())
        {
            var px = plot.X(tick, x);
            Line(xml, px, plot.Top, px, plot.Bottom, "#e6e6e6");
            Line(xml, px, plot.Bottom, px, plot.Bottom + 5, "#333");
            Text(xml, tick.ToString(xFormat, CultureInfo.InvariantCulture), px, plot.Bottom + 19, anchor: "middle");
        }
        var yFormat = TickFormat(y);
        foreach (var tick in y.Ticks())
        {
            var py = plot.Y(tick, y);
            Line(xml, plot.Left, py, plot.Right, py, "#e6e6e6");
            Line(xml, plot.Left - 5, py, plot.Left, py, "#333");
            Text(xml, tick.ToString(yFormat, CultureInfo.InvariantCulture), plot.Left - 8, py + 4, anchor: "end");
        }
        Rect(xml, plot.Left, plot.Top, plot.Width, plot.Height, fill: "none", stroke: "#333");
        xml.WriteEndElement();
    }

    private static void Series(XmlWriter xml, PlotArea plot, NiceScale x, NiceScale y, ChartSeries series, string colour)
    {
        xml.WriteStartElement("g", SvgNamespace);
        xml.WriteAttributeString("class", "series");
        xml.WriteAttributeString("data-name", series.Name);
        var run = new List<(double X, double Y)>();
        foreach (var (px, py) in series.Points)
        {
            if (double.IsFinite(px) && double.IsFinite(py))
            {
                run.Add((plot.X(px, x), plot.Y(py, y)));
                continue;
            }
            Run(xml, run, plot, colour);
            run.Clear();
        }
        Run(xml, run, plot, colour);
        xml.WriteEndElement();
    }

    private static void Run(XmlWriter xml, List<(double X, double Y)> run, PlotArea plot, string colour)
    {
        if (run.Count == 0) return;
        if (run.Count == 1)
        {
            // A lone point between gaps would be an invisible zero-length line.
            xml.WriteStartElement("circle", SvgNamespace);
            Attr(xml, "cx", run[0].X);
            Attr(xml, "cy", run[0].Y);
            Attr(xml, "r", 2.5);
            xml.WriteAttributeString("fill", colour);
            xml.WriteEndElement();
            return;
        }
        var points = new StringBuilder();
        foreach (var (px, py) in PolylineDecimation.Reduce(run, plot.Width))
        {
            if (points.Length > 0) points.Append(' ');
            points.Append(Num(px)).Append(',').Append(Num(py));
        }
        xml.WriteStartElement("polyline", SvgNamespace);
        xml.WriteAttributeString("points", points.ToString());
        xml.WriteAttributeString("fill", "none");
        xml.WriteAttributeString("stroke", colour);
        xml.WriteAttributeString("stroke-width", "1.8");
        xml.WriteAttributeString("stroke-linejoin", "round");
        xml.WriteEndElement();
    }

    private static void Legend(XmlWriter xml, PlotArea plot, IReadOnlyList<ChartSeries> series)
    {
        if (series.Count == 0) return;
        xml.WriteStartElement("g", SvgNamespace);
        xml.WriteAttributeString("class", "legend");
        var x = plot.Right + LegendGap;
        for (var s = 0; s < series.Count; s++)
        {
            var y = plot.Top + 10 + (s * 20);
            var colour = Palette[s % Palette.Length];
            xml.WriteStartElement("line", SvgNamespace);
            Attr(xml, "x1", x);
            Attr(xml, "y1", y);
            Attr(xml, "x2", x + 22);
            Attr(xml, "y2", y);
            xml.WriteAttributeString("stroke", colour);
            xml.WriteAttributeString("stroke-width", "3");
            xml.WriteEndElement();
            Text(xml, series[s].Name, x + 30, y + 4, anchor: "start");
        }
        xml.WriteEndElement();
    }

    private static string TickFormat(NiceScale scale)
    {
        var largest = Math.Max(Math.Abs(scale.Min), Math.Abs(scale.Max));
        if (largest >= 1e6 || scale.Step < 1e-4) return "0.###E+0";
        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(scale.Step) + 1e-9));
        return "F" + decimals.ToString(CultureInfo.InvariantCulture);
    }

    private static void Line(XmlWriter xml, double x1, double y1, double x2, double y2, string stroke)
    {
        xml.WriteStartElement("line", SvgNamespace);
        Attr(xml, "x1", x1);
        Attr(xml, "y1", y1);
        Attr(xml, "x2", x2);
        Attr(xml, "y2", y2);
        xml.WriteAttributeString("stroke", stroke);
        xml.WriteEndElement();
    }

    private static void Rect(XmlWriter xml, double x, double y, double width, double height, string fill, string? stroke)
    {
        xml.WriteStartElement("rect", SvgNamespace);
        Attr(xml, "x", x);
        Attr(xml, "y", y);
        Attr(xml, "width", width);
        Attr(xml, "height", height);
        xml.WriteAttributeString("fill", fill);
        if (stroke is not null) xml.WriteAttributeString("stroke", stroke);
        xml.WriteEndElement();
    }

    private static void Text(XmlWriter xml, string text, double x, double y, string anchor, double size = 12, string? weight = null, bool rotate = false)
    {
        xml.WriteStartElement("text", SvgNamespace);
        Attr(xml, "x", x);
        Attr(xml, "y", y);
        xml.WriteAttributeString("text-anchor", anchor);
        if (size != 12) Attr(xml, "font-size", size);
        if (weight is not null) xml.WriteAttributeString("font-weight", weight);
        if (rotate) xml.WriteAttributeString("transform", $"rotate(-90 {Num(x)} {Num(y)})");
        xml.WriteString(text);
        xml.WriteEndElement();
    }

    private static void Attr(XmlWriter xml, string name, double value) => xml.WriteAttributeString(name, Num(value));

    private static string Num(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The plotting rectangle and the data → pixel mapping.</summary>
    private readonly record struct PlotArea(double Left, double Top, double Width, double Height)
    {
        public double Right => Left + Width;

        public double Bottom => Top + Height;

        public double X(double value, NiceScale scale) => Left + ((value - scale.Min) / (scale.Max - scale.Min) * Width);

        public double Y(double value, NiceScale scale) => Top + ((scale.Max - value) / (scale.Max - scale.Min) * Height);
    }
}
