using BenchmarkDotNet.Attributes;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>GEMM throughput on the benchmark network's shapes, 1 and 2 threads (see the GFLOP/s and % peak columns).</summary>
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];

    public static IEnumerable<GemmShape> Shapes => GemmShape.Network;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.Count = Threads;
        _a = BenchmarkData.Shared("a", (long)Shape.ARows * Shape.ACols, 1);
        _b = BenchmarkData.Shared("b", (long)Shape.BRows * Shape.BCols, 2);
        _c = BenchmarkData.Shared("c", (long)Shape.M * Shape.N, 3);
    }

    [Benchmark]
    public void Multiply()
        => Gemm.Multiply(Shape.TransposeA, Shape.TransposeB, Shape.M, Shape.N, Shape.K, _a, Shape.ACols, _b, Shape.BCols, false, _c, Shape.N);
}
