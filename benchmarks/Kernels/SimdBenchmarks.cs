using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>
/// Are the ISimd wrappers free? The same sigmoid over 4096 floats written directly on Vector512, generically over
/// ISimd with TV = Simd512 (and Simd256), and through SimdLoop with an ISimdStep body.
/// </summary>
public class SimdBenchmarks
{
    private const int Length = 4096;
    private readonly float[] _source = BenchmarkData.Uniform(Length, 9, -8f, 8f);
    private readonly float[] _target = new float[Length];

    // Every variant is a separate non-inlined method: a loop in the benchmark method itself can stay at a lower
    // JIT tier under the in-process toolchain and would not compare like with like.
    [Benchmark(Baseline = true)]
    public void Vector512Direct() => Direct(_source, _target);

    [Benchmark]
    public void GenericSimd512() => Sigmoid<Simd512>(_source, _target);

    [Benchmark]
    public void GenericSimd256() => Sigmoid<Simd256>(_source, _target);

    [Benchmark]
    public void SimdLoopStep() => ThroughSimdLoop(_source, _target);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThroughSimdLoop(float[] source, float[] target)
    {
        var step = new SigmoidStep(source, target);
        SimdLoop.Run(Length, ref step);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Direct(float[] source, float[] target)
    {
        ref var s = ref source[0];
        ref var t = ref target[0];
        var one = Vector512<float>.One;
        for (nuint i = 0; i <= Length - 16; i += 16)
        {
            var z = Vector512.LoadUnsafe(ref s, i);
            (one / (one + Vector512.Exp(-z))).StoreUnsafe(ref t, i);
        }
    }

    // The same loop shape as Direct (refs, no bounds checks), only generic over the width.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Sigmoid<TV>(float[] source, float[] target)
        where TV : struct, ISimd<TV>
    {
        ref var s = ref source[0];
        ref var t = ref target[0];
        for (nuint i = 0; i <= (nuint)(Length - TV.Count); i += (nuint)TV.Count)
        {
            var z = TV.Load(in Unsafe.Add(ref s, i));
            TV.Store(TV.One / (TV.One + TV.Exp(-z)), ref Unsafe.Add(ref t, i));
        }
    }

    private readonly ref struct SigmoidStep(ReadOnlySpan<float> source, Span<float> target) : ISimdStep
    {
        private readonly ReadOnlySpan<float> _source = source;
        private readonly Span<float> _target = target;

        // SimdLoop guarantees i + TV.Count <= length, so the step indexes without bounds checks (with them the
        // JIT also stops hoisting Exp's constants out of the loop: measured 25-40% slower).
        public void Step<TV>(int i) where TV : struct, ISimd<TV>
        {
            var z = TV.Load(in Unsafe.Add(ref MemoryMarshal.GetReference(_source), i));
            TV.Store(TV.One / (TV.One + TV.Exp(-z)), ref Unsafe.Add(ref MemoryMarshal.GetReference(_target), i));
        }
    }
}
