using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Runtime.Tests.Kernels;

public class SimdTests
{
    private static readonly float[] Specials =
    [
        0f, -0f, 1f, -1f, 0.5f, 2f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon,
        float.MaxValue, float.MinValue, 1e-38f, 88.72f, 88.73f, 89f, -87.3f, -103.9f, -104f, -150f, 1e30f, 3f, 3f,
    ];

    private static float[] Inputs(int seed, double range)
    {
        var random = new Random(seed);
        var values = new float[4096];
        Specials.CopyTo(values, 0);
        for (var i = Specials.Length; i < values.Length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * range);
        }
        return values;
    }

    private static bool Same(float x, float y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y) || (float.IsNaN(x) && float.IsNaN(y));

    // Applies an operation width TV at a time and checks every lane bit for bit against the scalar definition.
    private static void CheckLanes<TV>(string name, float[] x, float[] y, float[] z, Func<TV, TV, TV, TV> op, Func<float, float, float, float> definition)
        where TV : struct, ISimd<TV>
    {
        var result = new float[x.Length];
        for (var i = 0; i + TV.Count <= x.Length; i += TV.Count)
        {
            TV.Store(op(TV.Load(in x[i]), TV.Load(in y[i]), TV.Load(in z[i])), ref result[i]);
        }
        for (var i = 0; i < x.Length - (x.Length % TV.Count); i++)
        {
            var expected = definition(x[i], y[i], z[i]);
            Assert.True(Same(expected, result[i]), $"{typeof(TV).Name}.{name}({x[i]:R}, {y[i]:R}, {z[i]:R}) = {result[i]:R}, scalar definition {expected:R}");
        }
    }

    private static float Mask(bool value) => value ? BitConverter.Int32BitsToSingle(-1) : 0f;

    private static float ScalarExp(float x) => Scalar.Exp(Scalar.Create(x)).Value;

    private static float ScalarLog(float x) => Scalar.Log(Scalar.Create(x)).Value;

    private static void CheckWidth<TV>()
        where TV : struct, ISimd<TV>
    {
        var x = Inputs(1, 100);
        var y = Inputs(2, 100).Reverse().ToArray();
        var z = Inputs(3, 10);
        CheckLanes<TV>("+", x, y, z, (a, b, _) => a + b, (a, b, _) => a + b);
        CheckLanes<TV>("-", x, y, z, (a, b, _) => a - b, (a, b, _) => a - b);
        CheckLanes<TV>("*", x, y, z, (a, b, _) => a * b, (a, b, _) => a * b);
        CheckLanes<TV>("/", x, y, z, (a, b, _) => a / b, (a, b, _) => a / b);
        CheckLanes<TV>("negate", x, y, z, (a, _, _) => -a, (a, _, _) => -a);
        CheckLanes<TV>("MultiplyAdd", x, y, z, TV.MultiplyAdd, MathF.FusedMultiplyAdd);
        CheckLanes<TV>("Sqrt", x, y, z, (a, _, _) => TV.Sqrt(a), (a, _, _) => MathF.Sqrt(a));
        CheckLanes<TV>("Abs", x, y, z, (a, _, _) => TV.Abs(a), (a, _, _) => MathF.Abs(a));
        CheckLanes<TV>("Min", x, y, z, (a, b, _) => TV.Min(a, b), MathFMin);
        CheckLanes<TV>("Max", x, y, z, (a, b, _) => TV.Max(a, b), MathFMax);
        CheckLanes<TV>("GreaterThan", x, y, z, (a, b, _) => TV.GreaterThan(a, b), (a, b, _) => Mask(a > b));
        CheckLanes<TV>("LessThan", x, y, z, (a, b, _) => TV.LessThan(a, b), (a, b, _) => Mask(a < b));
        CheckLanes<TV>("EqualTo", x, x.Select((v, i) => i % 3 == 0 ? v : y[i]).ToArray(), z, (a, b, _) => TV.EqualTo(a, b), (a, b, _) => Mask(a == b));
        CheckLanes<TV>("Select", x, y, z, (a, b, c) => TV.Select(TV.GreaterThan(c, TV.Zero), a, b), (a, b, c) => c > 0 ? a : b);
        CheckLanes<TV>("Create", x, y, z, (_, _, _) => TV.Create(3.25f), (_, _, _) => 3.25f);
        CheckLanes<TV>("Zero/One", x, y, z, (a, _, _) => (a * TV.Zero) + TV.One, (a, _, _) => (a * 0f) + 1f);

        // Exp and Log: the same bits as the scalar path at every width, over arguments from underflow to overflow.
        var expArguments = Inputs(4, 110);
        CheckLanes<TV>("Exp", expArguments, y, z, (a, _, _) => TV.Exp(a), (a, _, _) => ScalarExp(a));
        var logArguments = Inputs(5, 100).Select(v => v > 0 ? MathF.Exp(v - 50) : v).ToArray();
        CheckLanes<TV>("Log", logArguments, y, z, (a, _, _) => TV.Log(a), (a, _, _) => ScalarLog(a));

        var lanes = new float[TV.Count];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = 0.1f * (i + 1);
        }
        var expectedSum = lanes.Sum();
        Assert.Equal(expectedSum, TV.Sum(TV.Load(in lanes[0])), 5);
    }

    // MathF.Min/Max are the IEEE 754-2019 minimum/maximum: NaN wins, −0 < +0 (the vector APIs agree).
    private static float MathFMin(float a, float b, float _) => MathF.Min(a, b);

    private static float MathFMax(float a, float b, float _) => MathF.Max(a, b);

    [Theory]
    [MemberData(nameof(GemmTests.Widths), MemberType = typeof(GemmTests))]
    public void EveryOperationMatchesTheScalarDefinitionLaneByLane(int width)
    {
        switch (width)
        {
            case 512:
                Assert.True(Simd512.IsHardwareAccelerated);
                CheckWidth<Simd512>();
                break;
            case 256:
                CheckWidth<Simd256>();
                break;
            case 128:
                CheckWidth<Simd128>();
                break;
            default:
                CheckWidth<Scalar>();
                break;
        }
    }

    [Fact]
    public void CountsMatchTheRegisterWidths()
    {
        Assert.Equal(16, Simd512.Count);
        Assert.Equal(8, Simd256.Count);
        Assert.Equal(4, Simd128.Count);
        Assert.Equal(1, Scalar.Count);
    }

    [Fact]
    public void ExpIsAccurateOverItsRangeAndOverflowsToInfinity()
    {
        var worst = 0.0;
        for (var x = -87f; x <= 88.5f; x += 0.0173f)
        {
            var exact = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(ScalarExp(x) - exact) / exact);
        }
        Assert.True(worst < 4e-7, $"worst relative error of Exp {worst:E2}");
        Assert.Equal(float.PositiveInfinity, ScalarExp(89f));
        Assert.Equal(float.PositiveInfinity, ScalarExp(1000f));
        Assert.Equal(float.PositiveInfinity, ScalarExp(float.PositiveInfinity));
        Assert.Equal(0f, ScalarExp(-104f));
        Assert.Equal(0f, ScalarExp(float.NegativeInfinity));
        Assert.True(ScalarExp(-100f) is >= 0f and < 1e-43f);
        // The vector algorithm (which every width shares) is within an ulp of 1 at 0, not exact.
        Assert.InRange(ScalarExp(0f), 1f - 6e-8f, 1f + 1.2e-7f);
        Assert.True(float.IsNaN(ScalarExp(float.NaN)));
    }

    // Near 1 the logarithm is tiny, so the error that matters is relative to it: log(1 − a) with a ≈ 0 is the loss of
    // every zero target of a sparse output. Every float in [0.5, 2) at a stride of 61 ulp, and 1 ± k ulp.
    [Fact]
    public void LogIsAccurateRelativeToItselfNearOne()
    {
        var worst = 0.0;
        var worstAt = 0f;
        void Check(float x)
        {
            var exact = Math.Log(x);
            if (exact == 0) return;
            var error = Math.Abs(ScalarLog(x) - exact) / Math.Abs(exact);
            if (error > worst) (worst, worstAt) = (error, x);
        }
        for (var bits = BitConverter.SingleToInt32Bits(0.5f); bits < BitConverter.SingleToInt32Bits(2f); bits += 61) Check(BitConverter.Int32BitsToSingle(bits));
        for (var k = 1; k < 5000; k++)
        {
            Check(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f) - k));
            Check(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f) + k));
        }
        Assert.True(worst < 3.6e-7, $"worst relative error of Log near 1: {worst:E2} at {worstAt:R}");
    }

    [Fact]
    public void LogIsAccurateOverItsRangeWithMinusInfinityAtZero()
    {
        var worst = 0.0;
        for (var e = -126f; e <= 127f; e += 0.0311f)
        {
            var x = MathF.Pow(2, e) * 1.3f;
            if (!float.IsFinite(x))
            {
                continue;
            }
            var exact = Math.Log(x);
            worst = Math.Max(worst, Math.Abs(ScalarLog(x) - exact) / Math.Max(1, Math.Abs(exact)));
        }
        Assert.True(worst < 4e-7, $"worst relative error of Log {worst:E2}");
        Assert.Equal(float.NegativeInfinity, ScalarLog(0f));
        Assert.Equal(float.NegativeInfinity, ScalarLog(-0f));
        Assert.Equal(float.PositiveInfinity, ScalarLog(float.PositiveInfinity));
        Assert.True(float.IsNaN(ScalarLog(-1f)));
        Assert.True(float.IsNaN(ScalarLog(float.NaN)));
        Assert.Equal(0f, ScalarLog(1f));
        Assert.Equal(Math.Log((double)float.Epsilon), ScalarLog(float.Epsilon), 4);   // the smallest subnormal
    }
}
