namespace DestinyDsl.Language.Model;

/// <summary>
/// A numeric setting written in the file: its default value and, when the file says
/// <c>tune(...)</c> or <c>choice(...)</c>, the range Bayesian optimisation may search.
/// </summary>
/// <remarks>Immutable, structural equality, no syntax or symbols.</remarks>
public sealed record Tunable(double Value, SearchRange? Range = null)
{
    /// <summary>A fixed value with no search range.</summary>
    public static Tunable Fixed(double value) => new(value);

    /// <summary>True when a search range is attached.</summary>
    public bool IsTuned => Range is not null;
}

/// <summary>A search range attached to a numeric setting.</summary>
public abstract record SearchRange;

/// <summary><c>tune(Low .. High [, log] [, int])</c>.</summary>
public sealed record ContinuousRange(double Low, double High, bool Log, bool Integer) : SearchRange;

/// <summary><c>choice(a, b, c)</c>.</summary>
public sealed record ChoiceRange(EquatableArray<double> Choices) : SearchRange;
