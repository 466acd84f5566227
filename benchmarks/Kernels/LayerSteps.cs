using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Simd;

namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>z = sigmoid(z + b) over a row segment: what a hidden layer's forward epilogue does.</summary>
public ref struct BiasSigmoidStep(Span<float> z, ReadOnlySpan<float> bias) : ISimdStep
{
    private readonly Span<float> _z = z;
    private readonly ReadOnlySpan<float> _bias = bias;

    public readonly void Step<TV>(int i) where TV : struct, ISimd<TV>
    {
        var x = TV.Load(in _z[i]) + TV.Load(in _bias[i]);
        TV.Store(TV.One / (TV.One + TV.Exp(-x)), ref _z[i]);
    }
}

/// <summary>RMSProp on a row segment of W from its gradient: what the fused weight-gradient sink does.</summary>
public ref struct RmsPropStep(Span<float> w, Span<float> s, ReadOnlySpan<float> g) : ISimdStep
{
    private const float LearningRate = 1e-3f;
    private const float Decay = 0.9f;
    private const float Epsilon = 1e-8f;
    private const float GradientScale = 1f / 256;
    private readonly Span<float> _w = w;
    private readonly Span<float> _s = s;
    private readonly ReadOnlySpan<float> _g = g;

    public readonly void Step<TV>(int i) where TV : struct, ISimd<TV>
    {
        var g = TV.Load(in _g[i]) * TV.Create(GradientScale);
        var s = TV.MultiplyAdd(TV.Create(Decay), TV.Load(in _s[i]), TV.Create(1 - Decay) * g * g);
        TV.Store(s, ref _s[i]);
        TV.Store(TV.Load(in _w[i]) - (TV.Create(LearningRate) * g / (TV.Sqrt(s) + TV.Create(Epsilon))), ref _w[i]);
    }
}

/// <summary>The forward epilogue: bias and sigmoid on each finished row segment of z.</summary>
public readonly struct BiasSigmoidEpilogue(float[] bias) : IGemmEpilogue
{
    public void Apply(int row, int column, Span<float> segment)
    {
        var step = new BiasSigmoidStep(segment, bias.AsSpan(column, segment.Length));
        SimdLoop.Run(segment.Length, ref step);
    }
}

/// <summary>The weight-gradient sink: RMSProp on W[row, column..] with the finished gradient segment.</summary>
public readonly struct RmsPropSink(float[] w, float[] s, int ldw) : IGemmEpilogue
{
    public void Apply(int row, int column, Span<float> segment)
    {
        var at = (row * ldw) + column;
        var step = new RmsPropStep(w.AsSpan(at, segment.Length), s.AsSpan(at, segment.Length), segment);
        SimdLoop.Run(segment.Length, ref step);
    }
}

/// <summary>Plain SGD on W[row, ..] from a finished gradient row: the sparse input layer's sink.</summary>
public readonly struct SgdRowSink(float[] w, int ldw) : IGemmEpilogue
{
    public void Apply(int row, int column, Span<float> segment)
    {
        var target = w.AsSpan((row * ldw) + column, segment.Length);
        for (var j = 0; j < segment.Length; j++)
        {
            target[j] -= 1e-3f * segment[j];
        }
    }
}
