using BenchmarkDotNet.Attributes;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>Forward: bias + sigmoid inside the GEMM epilogue vs a GEMM followed by a separate (parallel) pass over z.</summary>
public class EpilogueFusionBenchmarks
{
    private float[] _a = [];
    private float[] _w = [];
    private float[] _z = [];
    private float[] _bias = [];

    public static IEnumerable<GemmShape> Shapes => GemmShape.Network.Where(s => s.Name.EndsWith("forward", StringComparison.Ordinal));

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.Count = Threads;
        _a = BenchmarkData.Shared("a", (long)Shape.M * Shape.K, 1);
        _w = BenchmarkData.Shared("b", (long)Shape.K * Shape.N, 2);
        _z = BenchmarkData.Shared("c", (long)Shape.M * Shape.N, 3);
        _bias = BenchmarkData.Uniform(Shape.N, 4);
    }

    [Benchmark(Baseline = true)]
    public void Unfused()
    {
        Gemm.Multiply(false, false, Shape.M, Shape.N, Shape.K, _a, Shape.K, _w, Shape.N, false, _z, Shape.N);
        KernelPool.For(Shape.M, Threads, new BiasSigmoidRows(_z, _bias, Shape.N));
    }

    [Benchmark]
    public void Fused()
        => Gemm.Multiply(false, false, Shape.M, Shape.N, Shape.K, _a, Shape.K, _w, Shape.N, false, _z, Shape.N, new BiasSigmoidEpilogue(_bias));

    private readonly struct BiasSigmoidRows(float[] z, float[] bias, int n) : IParallelWork
    {
        public void Run(int item) => new BiasSigmoidEpilogue(bias).Apply(item, 0, z.AsSpan(item * n, n));
    }
}

/// <summary>
/// Weight gradient + RMSProp: the update fused into the product as a sink (the gradient never reaches memory) vs
/// the product written to a full dW followed by a separate (parallel) update pass.
/// </summary>
public class SinkFusionBenchmarks
{
    private float[] _a = [];
    private float[] _delta = [];
    private float[] _w = [];
    private float[] _s = [];
    private float[] _dw = [];

    public static IEnumerable<GemmShape> Shapes => GemmShape.Network.Where(s => s.Name.EndsWith("weight grad", StringComparison.Ordinal));

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.Count = Threads;
        _a = BenchmarkData.Shared("a", (long)Shape.K * Shape.M, 1);
        _delta = BenchmarkData.Shared("b", (long)Shape.K * Shape.N, 2);
        _w = BenchmarkData.Shared("w", (long)Shape.M * Shape.N, 5);
        _s = new float[(long)Shape.M * Shape.N];
        _dw = BenchmarkData.Shared("c", (long)Shape.M * Shape.N, 3);
    }

    [Benchmark(Baseline = true)]
    public void MultiplyThenUpdate()
    {
        Gemm.Multiply(true, false, Shape.M, Shape.N, Shape.K, _a, Shape.M, _delta, Shape.N, false, _dw, Shape.N);
        KernelPool.For(Shape.M, Threads, new UpdateRows(_w, _s, _dw, Shape.N));
    }

    [Benchmark]
    public void FusedSink()
        => Gemm.MultiplyToSink(true, false, Shape.M, Shape.N, Shape.K, _a, Shape.M, _delta, Shape.N, new RmsPropSink(_w, _s, Shape.N));

    private readonly struct UpdateRows(float[] w, float[] s, float[] dw, int n) : IParallelWork
    {
        public void Run(int item) => new RmsPropSink(w, s, n).Apply(item, 0, dw.AsSpan(item * n, n));
    }
}
