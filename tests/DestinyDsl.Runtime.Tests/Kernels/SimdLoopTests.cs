using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Tests.Kernels;

public class SimdLoopTests
{
    /// <summary>Counts visits per index, checks ascending order, and applies a sigmoid in place.</summary>
    private ref struct SigmoidStep(Span<float> values, int[] visits) : ISimdStep
    {
        private readonly Span<float> _values = values;
        private readonly int[] _visits = visits;
        private int _next;

        public void Step<TV>(int index) where TV : struct, ISimd<TV>
        {
            Assert.Equal(_next, index);
            _next = index + TV.Count;
            for (var i = index; i < index + TV.Count; i++)
            {
                _visits[i]++;
            }
            var z = TV.Load(in _values[index]);
            TV.Store(TV.One / (TV.One + TV.Exp(-z)), ref _values[index]);
        }

        public readonly int Next => _next;
    }

    [Fact]
    public void EveryIndexIsVisitedOnceInOrderAtEveryForcedWidth()
    {
        var random = new Random(51);
        foreach (var width in KernelTestData.Widths)
        {
            for (var length = 0; length <= 70; length++)
            {
                var values = KernelTestData.RandomFloats(random, length, 10f);
                var expected = values.Select(v => Scalar.One / (Scalar.One + Scalar.Exp(-Scalar.Create(v)))).Select(s => s.Value).ToArray();
                var visits = new int[length];
                var step = new SigmoidStep(values, visits);
                SimdWidth.Forced = width;
                try
                {
                    SimdLoop.Run(length, ref step);
                }
                finally
                {
                    SimdWidth.Forced = 0;
                }
                Assert.Equal(length, step.Next);
                Assert.All(visits, v => Assert.Equal(1, v));
                // Wherever the loop switched width, each value is bit for bit the scalar one.
                KernelTestData.AssertBitwiseEqual(expected, values, $"width={width} length={length}");
            }
        }
    }
}
