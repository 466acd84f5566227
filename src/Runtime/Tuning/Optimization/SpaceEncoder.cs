namespace DestinyDsl.Runtime.Tuning.Optimization;

/// <summary>
/// Maps a <see cref="SearchSpace"/> to the unit cube [0,1]^D the GP works in, and back.
/// <list type="bullet">
/// <item>Linear range: <c>u = (x − lo)/(hi − lo)</c>.</item>
/// <item>Log range: <c>u = (ln x − ln lo)/(ln hi − ln lo)</c>; decoded with <c>exp</c>.</item>
/// <item>Integer range (optionally log): the bounds are widened by ½ so every integer owns a bin of equal width
/// (in log space when log); decoded by rounding to the nearest integer.</item>
/// <item><c>choice(...)</c>: one column per option (one-hot), decoded by argmax to the exact declared value.</item>
/// </list>
/// <see cref="Decode"/> always gives exactly representable settings; <see cref="Encode"/> of those settings gives the
/// canonical cube point (bin centre, exact one-hot) that the GP is fitted on. <see cref="Project"/> = Encode∘Decode.
/// </summary>
public sealed class SpaceEncoder
{
    private readonly Column[] _columns;

    private readonly record struct Column(int Start, int Width, double Low, double High, bool Log, bool Integer, double[]? Choices, double FixedValue);

    /// <summary>Builds the encoder of a space.</summary>
    /// <exception cref="ArgumentException">A dimension is malformed (log with a non-positive bound, Low &gt; High, empty choice).</exception>
    public SpaceEncoder(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        Space = space;
        _columns = new Column[space.Dimensions.Count];
        var start = 0;
        for (var i = 0; i < _columns.Length; i++)
        {
            var d = space.Dimensions[i];
            if (d.Choices is { } choices)
            {
                if (choices.Count == 0)
                    throw new ArgumentException($"'{d.Path}': choice() with no options.", nameof(space));
                _columns[i] = new Column(start, choices.Count, 0, 0, false, false, choices.ToArray(), 0);
                start += choices.Count;
                continue;
            }
            if (!(d.Low <= d.High) || double.IsInfinity(d.Low) || double.IsInfinity(d.High))
                throw new ArgumentException($"'{d.Path}': bad range {d.Low} .. {d.High}.", nameof(space));
            var low = d.Low;
            var high = d.High;
            if (d.Integer)
            {
                low = Math.Ceiling(d.Low);
                high = Math.Floor(d.High);
                if (low > high)
                    throw new ArgumentException($"'{d.Path}': no integer in {d.Low} .. {d.High}.", nameof(space));
            }
            if (d.Log && low <= 0)
                throw new ArgumentException($"'{d.Path}': a log range needs positive bounds.", nameof(space));
            var fixedValue = low == high ? low : double.NaN;
            double lo = low, hi = high;
            if (d.Integer)
            {
                lo = low - 0.5;
                hi = high + 0.5;
                if (d.Log && lo <= 0)
                    lo = low / 2; // log-int range starting at a value below 1: the first bin is [lo/2, lo+½]
            }
            if (d.Log)
            {
                lo = Math.Log(lo);
                hi = Math.Log(hi);
            }
            _columns[i] = new Column(start, 1, lo, hi, d.Log, d.Integer, null, fixedValue);
            start += 1;
        }
        Dimensions = start;
    }

    /// <summary>The space encoded.</summary>
    public SearchSpace Space { get; }

    /// <summary>Number of unit-cube columns (a choice of k options takes k).</summary>
    public int Dimensions { get; }

    /// <summary>The cube point of a setting: canonical (bin centre, exact one-hot).</summary>
    /// <exception cref="ArgumentException">A path of the space is missing, or a value is not one of its choices.</exception>
    public double[] Encode(TrialParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var u = new double[Dimensions];
        for (var i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            var path = Space.Dimensions[i].Path;
            if (!parameters.TryGetValue(path, out var x))
                throw new ArgumentException($"The parameters have no value for '{path}'.", nameof(parameters));
            if (c.Choices is { } choices)
            {
                var k = Array.IndexOf(choices, x);
                if (k < 0)
                    throw new ArgumentException($"'{path}' = {x} is not one of its choices.", nameof(parameters));
                u[c.Start + k] = 1;
                continue;
            }
            if (!double.IsNaN(c.FixedValue))
            {
                u[c.Start] = 0.5;
                continue;
            }
            var t = c.Log ? Math.Log(Math.Max(x, double.Epsilon)) : x;
            u[c.Start] = Math.Clamp((t - c.Low) / (c.High - c.Low), 0, 1);
        }
        return u;
    }

    /// <summary>The setting of a cube point: integers rounded, choices by argmax, log ranges exponentiated, clamped to the declared range.</summary>
    public TrialParameters Decode(ReadOnlySpan<double> u)
    {
        if (u.Length != Dimensions)
            throw new ArgumentException($"Expected {Dimensions} coordinates, got {u.Length}.", nameof(u));
        var values = new KeyValuePair<string, double>[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            var d = Space.Dimensions[i];
            double x;
            if (c.Choices is { } choices)
            {
                var best = 0;
                for (var k = 1; k < choices.Length; k++)
                    if (u[c.Start + k] > u[c.Start + best])
                        best = k;
                x = choices[best];
            }
            else if (!double.IsNaN(c.FixedValue))
                x = c.FixedValue;
            else
            {
                var t = c.Low + Math.Clamp(u[c.Start], 0, 1) * (c.High - c.Low);
                x = c.Log ? Math.Exp(t) : t;
                if (c.Integer)
                    x = Math.Round(x, MidpointRounding.AwayFromZero);
                var low = c.Integer ? Math.Ceiling(d.Low) : d.Low;
                var high = c.Integer ? Math.Floor(d.High) : d.High;
                x = Math.Clamp(x, low, high);
            }
            values[i] = new KeyValuePair<string, double>(d.Path, x);
        }
        return new TrialParameters(values);
    }

    /// <summary>Encode(Decode(u)): the canonical cube point of the setting u stands for.</summary>
    public double[] Project(ReadOnlySpan<double> u) => Encode(Decode(u));

    /// <summary>In-place <see cref="Project"/> without allocation (the acquisition's hot path).</summary>
    internal void ProjectInPlace(Span<double> u)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            if (c.Choices is { } choices)
            {
                var best = 0;
                for (var k = 1; k < choices.Length; k++)
                    if (u[c.Start + k] > u[c.Start + best])
                        best = k;
                for (var k = 0; k < choices.Length; k++)
                    u[c.Start + k] = k == best ? 1 : 0;
            }
            else if (!double.IsNaN(c.FixedValue))
                u[c.Start] = 0.5;
            else if (c.Integer)
            {
                var d = Space.Dimensions[i];
                var t = c.Low + Math.Clamp(u[c.Start], 0, 1) * (c.High - c.Low);
                var x = Math.Clamp(Math.Round(c.Log ? Math.Exp(t) : t, MidpointRounding.AwayFromZero), Math.Ceiling(d.Low), Math.Floor(d.High));
                var back = c.Log ? Math.Log(x) : x;
                u[c.Start] = Math.Clamp((back - c.Low) / (c.High - c.Low), 0, 1);
            }
            else
                u[c.Start] = Math.Clamp(u[c.Start], 0, 1);
        }
    }
}
