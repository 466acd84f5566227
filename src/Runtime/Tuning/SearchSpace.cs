namespace DestinyDsl.Runtime.Tuning;

/// <summary>
/// One searchable hyperparameter, as the .dnet file declares it: <c>VALUE tune(LO .. HI [, log] [, int])</c> or
/// <c>choice(a, b, c)</c>. <see cref="Path"/> names the setting (<c>h2.width</c>, <c>optimizer.learning_rate</c>)
/// and is what <see cref="ModelOptions.Set"/> accepts.
/// </summary>
/// <param name="Choices">For <c>choice(...)</c>: the allowed values (then Low/High are their min/max).</param>
public sealed record SearchDimension(string Path, double Default, double Low, double High, bool Log, bool Integer, IReadOnlyList<double>? Choices = null);

/// <summary>The search space of a network: every tunable setting of its .dnet file.</summary>
public sealed record SearchSpace(IReadOnlyList<SearchDimension> Dimensions)
{
    /// <summary>The empty space (a network with nothing to tune).</summary>
    public static SearchSpace Empty { get; } = new(Array.Empty<SearchDimension>());
}

/// <summary>
/// Base of every generated options class: the network's hyperparameters, defaults from the .dnet file, settable by
/// name so a tuner can apply a trial.
/// </summary>
public abstract class ModelOptions
{
    /// <summary>Sets the setting named by a search-space path (e.g. <c>optimizer.learning_rate</c>).</summary>
    /// <exception cref="ArgumentException">The path names no setting of this network.</exception>
    public abstract void Set(string path, double value);

    /// <summary>Reads the setting named by a search-space path.</summary>
    /// <exception cref="ArgumentException">The path names no setting of this network.</exception>
    public abstract double Get(string path);
}
