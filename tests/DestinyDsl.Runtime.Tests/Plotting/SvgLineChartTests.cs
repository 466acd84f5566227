using System.Globalization;
using System.Xml;
using DestinyDsl.Runtime.Plotting;
using DestinyDsl.Runtime.Tests.Data;

namespace DestinyDsl.Runtime.Tests.Plotting;

public sealed class SvgLineChartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WritesWellFormedSvgWithEverySeriesTitleLabelsAndLegend()
    {
        var path = _dir.Combine("loss.svg");
        var training = Enumerable.Range(0, 240).Select(i => ((double)i, 300 * Math.Exp(-i / 60.0) + 40)).ToArray();
        var validation = Enumerable.Range(0, 10).Select(i => (i * 24.0 + 23, 300 * Math.Exp(-(i * 24 + 23) / 50.0) + 45)).ToArray();
        SvgLineChart.Write(path, "MovieLensAutoencoder training loss", "step", "loss per example",
            [new ChartSeries("training loss", training), new ChartSeries("validation loss", validation)]);

        var svg = Load(path);
        Assert.Equal("svg", svg.DocumentElement!.LocalName);
        Assert.Equal("http://www.w3.org/2000/svg", svg.DocumentElement.NamespaceURI);
        var texts = Texts(svg);
        Assert.Contains("MovieLensAutoencoder training loss", texts);
        Assert.Contains("step", texts);
        Assert.Contains("loss per example", texts);
        Assert.Contains("training loss", texts);
        Assert.Contains("validation loss", texts);

        var series = Elements(svg, "g").Where(g => g.GetAttribute("class") == "series").ToList();
        Assert.Equal(["training loss", "validation loss"], series.Select(g => g.GetAttribute("data-name")));
        var lines = series.Select(g => g.GetElementsByTagName("polyline").Cast<XmlElement>().Single()).ToList();
        Assert.Equal(240, Points(lines[0]).Count);
        Assert.Equal(10, Points(lines[1]).Count);
        Assert.NotEqual(lines[0].GetAttribute("stroke"), lines[1].GetAttribute("stroke"));
    }

    [Fact]
    public void TicksAreRoundNumbersCoveringTheData()
    {
        var path = _dir.Combine("ticks.svg");
        SvgLineChart.Write(path, "t", "x", "y", [new ChartSeries("s", [(0, 3.7), (97, 98.7)])]);
        var labels = Texts(Load(path)).Where(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _)).ToList();
        Assert.Contains("0", labels);
        Assert.Contains("100", labels);
        Assert.DoesNotContain(labels, l => l.Contains('.'));
    }

    [Fact]
    public void NonFinitePointsAreSkippedAndBreakTheLine()
    {
        var path = _dir.Combine("gaps.svg");
        (double, double)[] points = [(0, 1), (1, 2), (2, double.NaN), (3, 4), (4, 5), (double.PositiveInfinity, 1), (6, 2)];
        SvgLineChart.Write(path, "gaps", "x", "y", [new ChartSeries("s", points)]);
        var svg = Load(path);
        var polylines = Elements(svg, "polyline").ToList();
        Assert.Equal(2, polylines.Count);                            // [0,1] and [3,4]
        Assert.All(polylines, p => Assert.Equal(2, Points(p).Count));
        Assert.Single(Elements(svg, "circle"));                      // the lone point (6, 2)
        Assert.DoesNotContain("NaN", File.ReadAllText(path));
        Assert.DoesNotContain("Infinity", File.ReadAllText(path));
    }

    [Fact]
    public void LongSeriesAreDecimatedButKeepTheirSpikes()
    {
        var path = _dir.Combine("long.svg");
        var points = Enumerable.Range(0, 200_000).Select(i => ((double)i, i == 123_456 ? 1000.0 : Math.Sin(i / 1000.0))).ToArray();
        SvgLineChart.Write(path, "long", "x", "y", [new ChartSeries("s", points)]);
        var svg = Load(path);
        var line = Points(Elements(svg, "polyline").Single());
        Assert.InRange(line.Count, 500, 4 * 800);
        var top = line.Min(p => p.Y);                                // the spike is the highest point: smallest y pixel
        Assert.Equal(50, top, 1);                                    // the plot area's top edge
        Assert.True(new FileInfo(path).Length < 100_000);
    }

    [Fact]
    public void TextIsEscapedAndAnEmptyChartIsStillValid()
    {
        var path = _dir.Combine("empty.svg");
        SvgLineChart.Write(path, "a < b & c > \"d\"", "x", "y", []);
        Assert.Contains("a < b & c > \"d\"", Texts(Load(path)));
        SvgLineChart.Write(path, "flat", "x", "y", [new ChartSeries("flat", [(1, 5), (2, 5)])]);
        Assert.Single(Elements(Load(path), "polyline"));
    }

    [Fact]
    public void WritingReplacesTheFileAtomicallyAndLeavesNoTemporaryFile()
    {
        var path = _dir.File("chart.svg", "old content");
        SvgLineChart.Write(path, "t", "x", "y", [new ChartSeries("s", [(0, 1), (1, 2)])]);
        Assert.StartsWith("<?xml", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var path = _dir.Combine("bad.svg");
        Assert.Throws<ArgumentException>(() => SvgLineChart.Write(path, "t", "x", "y", [new ChartSeries("s", null!)]));
        Assert.Throws<ArgumentException>(() => SvgLineChart.Write("", "t", "x", "y", []));
        Assert.False(File.Exists(path));
    }

    private static XmlDocument Load(string path)
    {
        var document = new XmlDocument();
        document.Load(path);
        return document;
    }

    private static IEnumerable<XmlElement> Elements(XmlDocument svg, string name) => svg.GetElementsByTagName(name).Cast<XmlElement>();

    private static List<string> Texts(XmlDocument svg) => Elements(svg, "text").Select(t => t.InnerText).ToList();

    private static List<(double X, double Y)> Points(XmlElement polyline)
        => polyline.GetAttribute("points").Split(' ').Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
}
