namespace DestinyDsl.Runtime.Kernels.Simd;

/// <summary>
/// The body of a <see cref="SimdLoop"/>: processes the <c>TV.Count</c> elements starting at an index, written once
/// for every width. A struct (or ref struct holding the spans it works on), so the JIT compiles the loop with the
/// body inlined for each width.
/// </summary>
public interface ISimdStep
{
    /// <summary>Processes elements [<paramref name="index"/>, <paramref name="index"/> + <c>TV.Count</c>).</summary>
    void Step<TV>(int index) where TV : struct, ISimd<TV>;
}
