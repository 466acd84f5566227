using DestinyDsl.Language.Model;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>How the .dnet language spells its enumerations (for doc comments that quote the file).</summary>
internal static class DnetSpelling
{
    public static string Of(ActivationKind kind) => kind switch
    {
        ActivationKind.LeakyRelu => "leaky_relu",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string Of(LossKind kind) => kind switch
    {
        LossKind.CrossEntropy => "cross_entropy",
        LossKind.ScaledMarginalCrossEntropy => "scaled_marginal_cross_entropy",
        LossKind.DataScaledMarginalCrossEntropy => "data_scaled_marginal_cross_entropy",
        LossKind.L2Hinge => "l2_hinge",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string Of(OptimizerKind kind) => kind.ToString().ToLowerInvariant();

    public static string Of(InitScheme scheme) => scheme switch
    {
        InitScheme.CaffeXavier => "caffe_xavier",
        InitScheme.UnitBall => "unit_ball",
        _ => scheme.ToString().ToLowerInvariant(),
    };

    public static string Of(LayerKind kind) => kind.ToString().ToLowerInvariant();

    public static string Of(ScheduleKind kind) => kind == ScheduleKind.InverseTime ? "inverse_time" : kind.ToString().ToLowerInvariant();

    /// <summary><c>tune(0.0001 .. 0.1, log)</c> / <c>choice(1, 2, 3)</c>, as written in the file.</summary>
    public static string Of(SearchRange range) => range switch
    {
        ContinuousRange c => $"tune({CSharpLiterals.Number(c.Low)} .. {CSharpLiterals.Number(c.High)}{(c.Log ? ", log" : "")}{(c.Integer ? ", int" : "")})",
        ChoiceRange c => "choice(" + string.Join(", ", c.Choices.Select(CSharpLiterals.Number)) + ")",
        _ => range.ToString(),
    };
}
