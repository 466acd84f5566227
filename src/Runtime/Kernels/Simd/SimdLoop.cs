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
    public static void Run<TStep>(int length, ref TStep step)
        where TStep : struct, ISimdStep, allows ref struct
    {
        var i = 0;
        var width = SimdWidth.Current;
        if (width >= 512)
        {
            i = Loop<TStep, Simd512>(length, ref step, i);
        }
        if (width >= 256)
        {
            i = Loop<TStep, Simd256>(length, ref step, i);
        }
        if (width >= 128)
        {
            i = Loop<TStep, Simd128>(length, ref step, i);
        }
        Loop<TStep, Scalar>(length, ref step, i);
    }

    // One width per method, never inlined: the body's inline tree (Exp and Log are large) gets the JIT's whole
    // budget, the step is copied into a local it can keep in registers (through the ref every store might alias
    // it), and loop constants are hoisted. Forced inline into a big caller, the budget ran out and Exp's helpers,
    // the division and the store stayed calls: five times slower (measured with the SimdBenchmarks).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Loop<TStep, TV>(int length, ref TStep step, int i)
        where TStep : struct, ISimdStep, allows ref struct
        where TV : struct, ISimd<TV>
    {
        var local = step;
        var at = i;
        var last = length - TV.Count;
        while (at <= last)
        {
            local.Step<TV>(at);
            at += TV.Count;
        }
        step = local;
        return at;
    }
}
