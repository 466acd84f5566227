using System.Globalization;
using System.Text;

namespace DestinyDsl.Runtime.Tuning.Optimization;

/// <summary>
/// One point of a search space: search-space path → value, in the order of the space's dimensions. Immutable, with
/// value equality (same paths in the same order, bit-identical values), so it can key dictionaries and be compared
/// across a journal. The values are exactly representable settings (integers are whole, choices are one of the
/// declared values), ready for <see cref="ModelOptions.Set"/> through <see cref="ApplyTo"/>.
/// </summary>
public sealed record TrialParameters : IReadOnlyDictionary<string, double>
{
    private readonly KeyValuePair<string, double>[] _values;

    /// <summary>Creates parameters from (path, value) pairs; the order is kept.</summary>
    /// <exception cref="ArgumentException">A path occurs twice.</exception>
    public TrialParameters(IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in _values)
            if (!seen.Add(pair.Key))
                throw new ArgumentException($"The path '{pair.Key}' occurs twice.", nameof(values));
    }

    /// <summary>Creates parameters from (path, value) tuples.</summary>
    public static TrialParameters Of(params (string Path, double Value)[] values) =>
        new(values.Select(v => new KeyValuePair<string, double>(v.Path, v.Value)));

    /// <summary>The (path, value) pairs in the order of the search space.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Values => _values;

    /// <summary>The value of a path.</summary>
    /// <exception cref="KeyNotFoundException">No such path.</exception>
    public double this[string path] => TryGetValue(path, out var value) ? value : throw new KeyNotFoundException($"No parameter '{path}'.");

    /// <inheritdoc />
    public int Count => _values.Length;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Select(v => v.Key);

    IEnumerable<double> IReadOnlyDictionary<string, double>.Values => _values.Select(v => v.Value);

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, out double value)
    {
        foreach (var pair in _values)
            if (string.Equals(pair.Key, key, StringComparison.Ordinal))
            {
                value = pair.Value;
                return true;
            }
        value = 0;
        return false;
    }

    /// <summary>Sets every parameter on the options of a generated model.</summary>
    public void ApplyTo(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var pair in _values)
            options.Set(pair.Key, pair.Value);
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, double>>)_values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Value equality: the same paths in the same order with bit-identical values.</summary>
    public bool Equals(TrialParameters? other)
    {
        if (other is null || other._values.Length != _values.Length)
            return false;
        for (var i = 0; i < _values.Length; i++)
            if (!string.Equals(_values[i].Key, other._values[i].Key, StringComparison.Ordinal)
                || _values[i].Value.CompareTo(other._values[i].Value) != 0)
                return false;
        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var pair in _values)
        {
            hash.Add(pair.Key, StringComparer.Ordinal);
            hash.Add(pair.Value);
        }
        return hash.ToHashCode();
    }

    /// <summary><c>path=value, …</c> with round-trip number formatting.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var pair in _values)
        {
            if (text.Length > 0)
                text.Append(", ");
            text.Append(pair.Key).Append('=').Append(pair.Value.ToString("R", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
