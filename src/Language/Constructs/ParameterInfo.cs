namespace DestinyDsl.Language.Constructs;

/// <summary>One parameter of a construct: name, type, default, validity rule and whether it may be tuned.</summary>
/// <param name="NotTunableReason">Null when the parameter may carry <c>tune(...)</c>/<c>choice(...)</c>; otherwise why not.</param>
internal sealed record ParameterInfo(
    string Name,
    ParameterType Type,
    double Default,
    bool Required,
    ValueRule Rule,
    bool Integer,
    string? NotTunableReason)
{
    public bool IsTunable => NotTunableReason is null;

    public static ParameterInfo Tunable(string name, double @default, ValueRule rule, bool integer = false) =>
        new(name, ParameterType.Number, @default, false, rule, integer, null);

    public static ParameterInfo RequiredTunable(string name, ValueRule rule) =>
        new(name, ParameterType.Number, double.NaN, true, rule, false, null);

    public static ParameterInfo Constant(string name, double @default, ValueRule rule, string reason) =>
        new(name, ParameterType.Number, @default, false, rule, false, reason);

    public static ParameterInfo RequiredConstant(string name, ValueRule rule, string reason) =>
        new(name, ParameterType.Number, double.NaN, true, rule, false, reason);
}

/// <summary>A named construct (activation, modifier, initialiser, loss, optimizer) and its parameters in positional order.</summary>
/// <param name="What">How messages name the construct's family ("activation", "loss"…).</param>
/// <param name="Tag">The model enum value the construct binds to (ActivationKind, LossKind…), or null for modifiers.</param>
internal sealed record ConstructInfo(string Name, string What, IReadOnlyList<ParameterInfo> Parameters, object? Tag = null)
{
    public ParameterInfo? Find(string name)
    {
        foreach (var p in Parameters)
        {
            if (p.Name == name) return p;
        }
        return null;
    }

    public string ParameterList => Parameters.Count == 0 ? "no arguments" : string.Join(", ", Parameters.Select(p => p.Name));
}
