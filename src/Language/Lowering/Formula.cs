using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Lowering;

/// <summary>
/// One step of a formula: <c>Target = Value</c>. When <see cref="DeclaresLocal"/> the target is a new local;
/// otherwise it is an input or register being overwritten (an update rule writing <c>w</c>, <c>s1</c>, <c>s2</c>).
/// </summary>
public sealed record PlanAssignment(string Target, PlanExpr Value, bool DeclaresLocal);

/// <summary>
/// A straight-line element-wise formula: assignments in order, then an optional result
/// (functions such as an activation return one; update rules only assign).
/// </summary>
/// <remarks>Immutable, structural equality.</remarks>
public sealed record Formula(EquatableArray<PlanAssignment> Steps, PlanExpr? Result)
{
    /// <summary>A formula that is a single expression.</summary>
    public static Formula Of(PlanExpr result) => new(EquatableArray<PlanAssignment>.Empty, result);
}
