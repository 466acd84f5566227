using System.Runtime.CompilerServices;

namespace DestinyDsl.Runtime.Kernels.Simd;

/// <summary>
/// Runs an <see cref="ISimdStep"/> over [0, length): the widest accelerated width for the bulk, then each narrower
/// accelerated width once at most, then <see cref="Scalar"/> for the last elements (fewer than 4 on SIMD hardware).
/// </summary>
/// <remarks>
/// Because every width computes bitwise the same element results (see <see cref="Scalar"/>), where the loop
/// switches width never changes a value. Example, a bias and sigmoid over a row segment:
/// <code>
/// ref struct BiasSigmoid(Span&lt;float&gt; z, ReadOnlySpan&lt;float&gt; bias) : ISimdStep
/// {
///     readonly Span&lt;float&gt; _z = z; readonly ReadOnlySpan&lt;float&gt; _bias = bias;
///     public void Step&lt;TV&gt;(int i) where TV : struct, ISimd&lt;TV&gt;
///     {
///         var x = TV.Load(in _z[i]) + TV.Load(in _bias[i]);
///         TV.Store(TV.One / (TV.One + TV.Exp(-x)), ref _z[i]);
///     }
/// }
/// var step = new BiasSigmoid(segment, biasSegment);
/// SimdLoop.Run(segment.Length, ref step);
/// </code>
/// </remarks>
public static class SimdLoop
{
    /// <summary>Calls <paramref name="step"/> over [0, <paramref name="length"/>), each element exactly once, in ascending order.</summary>
    /// <remarks>
    /// Deliberately not inlined into its caller: the body's inline tree (Exp and Log are large) then gets the JIT's
    /// whole inlining budget here. Forced inline into a big caller, the budget ran out and Exp's helpers, the
    /// division and the store stayed calls, five times slower (measured with the SimdBenchmarks).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run<TStep>(int length, ref TStep step)
        where TStep : struct, ISimdStep, allows ref struct
    {
        var i = 0;
        var width = SimdWidth.Current;
        if (width >= 512)
        {
            for (; i <= length - 16; i += 16)
            {
                step.Step<Simd512>(i);
            }
        }
        if (width >= 256)
        {
            for (; i <= length - 8; i += 8)
            {
                step.Step<Simd256>(i);
            }
        }
        if (width >= 128)
        {
            for (; i <= length - 4; i += 4)
            {
                step.Step<Simd128>(i);
            }
        }
        for (; i < length; i++)
        {
            step.Step<Scalar>(i);
        }
    }
}
