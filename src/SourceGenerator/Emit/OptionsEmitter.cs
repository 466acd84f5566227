namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>
/// Writes <c>&lt;Network&gt;Options : ModelOptions</c>: one property per setting that applies, defaults from the
/// file, and <c>Set</c>/<c>Get</c> by search path so a tuner can apply a trial.
/// </summary>
internal static class OptionsEmitter
{
    public static void Write(CodeWriter w, NetworkEmitContext x)
    {
        var options = x.Options.All;
        w.SummaryXml($"Hyperparameters of <see cref=\"{x.ClassName}\"/>; every default comes from {CSharpLiterals.XmlEscape(x.FileName)}.");
        w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"DestinyDsl\", {CSharpLiterals.String(x.GeneratorVersion)})]");
        w.Line($"public sealed partial class {x.OptionsClassName} : {RuntimeTypes.ModelOptions}");
        w.Open();
        foreach (var option in options.Where(o => o.BackingField is not null))
        {
            w.Line($"private int {option.BackingField} = {option.DefaultLiteral};");
        }
        if (options.Any(o => o.BackingField is not null)) w.Line();

        foreach (var option in options)
        {
            w.SummaryXml($"<c>{option.Path}</c>: {CSharpLiterals.XmlEscape(option.Summary)}");
            w.Line(option.BackingField is null
                ? $"public {TypeName(option.Type)} {option.Property} {{ get; set; }} = {option.DefaultLiteral};"
                : $"public int {option.Property} {{ get => {option.BackingField}; init => {option.BackingField} = value; }}");
        }
        w.Line();

        var settings = string.Join(", ", options.Select(o => o.Path));
        w.Summary("Every search path this network's options accept.");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<string> Paths { get; } = new string[] { " + string.Join(", ", options.Select(o => CSharpLiterals.String(o.Path))) + " };");
        w.Line();

        w.Line("/// <inheritdoc/>");
        w.Line("public override void Set(string path, double value)");
        w.Open();
        w.Line("if (path is null) throw new global::System.ArgumentNullException(nameof(path));");
        w.Line("if (double.IsNaN(value) || double.IsInfinity(value)) throw new global::System.ArgumentOutOfRangeException(nameof(value), value, $\"'{path}' must be a finite number.\");");
        w.Line("switch (path)");
        w.Open();
        foreach (var option in options)
        {
            var target = option.BackingField ?? option.Property;
            w.Line($"case {CSharpLiterals.String(option.Path)}: {target} = {FromDouble(option.Type)}; break;");
        }
        w.Line($"default: throw new global::System.ArgumentException($\"Network '{Interpolated(x.Network.Name)}' has no setting '{{path}}'; settings: {Interpolated(settings)}.\", nameof(path));");
        w.Close();
        w.Close();
        w.Line();

        w.Line("/// <inheritdoc/>");
        w.Line("public override double Get(string path)");
        w.Open();
        w.Line("if (path is null) throw new global::System.ArgumentNullException(nameof(path));");
        w.Line("switch (path)");
        w.Open();
        foreach (var option in options) w.Line($"case {CSharpLiterals.String(option.Path)}: return {ToDouble(option)};");
        w.Line($"default: throw new global::System.ArgumentException($\"Network '{Interpolated(x.Network.Name)}' has no setting '{{path}}'; settings: {Interpolated(settings)}.\", nameof(path));");
        w.Close();
        w.Close();

        if (options.Any(o => o.Type == OptionType.Int))
        {
            w.Line();
            w.Line("private static int ToInt32(string path, double value)");
            w.Open();
            w.Line("if (value != global::System.Math.Floor(value) || value < int.MinValue || value > int.MaxValue)");
            w.Line("    throw new global::System.ArgumentOutOfRangeException(nameof(value), value, $\"'{path}' takes a 32-bit integer.\");");
            w.Line("return (int)value;");
            w.Close();
        }
        if (options.Any(o => o.Type == OptionType.UInt64))
        {
            w.Line();
            w.Line("private static ulong ToUInt64(string path, double value)");
            w.Open();
            w.Line("if (value != global::System.Math.Floor(value) || value < 0 || value >= 18446744073709551616.0)");
            w.Line("    throw new global::System.ArgumentOutOfRangeException(nameof(value), value, $\"'{path}' takes a non-negative 64-bit integer.\");");
            w.Line("return (ulong)value;");
            w.Close();
        }
        w.Close();
    }

    private static string TypeName(OptionType type) => type switch
    {
        OptionType.Float => "float",
        OptionType.Int => "int",
        OptionType.Bool => "bool",
        _ => "ulong",
    };

    private static string FromDouble(OptionType type) => type switch
    {
        OptionType.Float => "(float)value",
        OptionType.Int => "ToInt32(path, value)",
        OptionType.Bool => "value != 0",
        _ => "ToUInt64(path, value)",
    };

    private static string ToDouble(OptionInfo option) => option.Type == OptionType.Bool
        ? $"{option.Property} ? 1 : 0"
        : option.Property;

    /// <summary>Text placed inside an interpolated string literal: escaped, without its quotes, braces doubled.</summary>
    private static string Interpolated(string text)
    {
        var literal = CSharpLiterals.String(text);
        return literal.Substring(1, literal.Length - 2).Replace("{", "{{").Replace("}", "}}");
    }
}
