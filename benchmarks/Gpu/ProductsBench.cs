using System.Diagnostics;
using DestinyDsl.Runtime.Gpu.Blas;
using DestinyDsl.Runtime.Specs;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Benchmarks.Gpu;

/// <summary>
/// The training step's matrix products alone, through the runtime's own GPU BLAS (<see cref="GpuBlas"/>: cuBLAS on a
/// GPU, with TF32 when asked; the tiled kernel on the simulator), on device 0, back to back on one stream: the floor
/// the step time is compared with (step / products).
/// </summary>
internal static class ProductsBench
{
    /// <summary>Time to aim for per measurement, so that launch jitter averages out on a GPU (a few repetitions on the simulator).</summary>
    private const double TargetSeconds = 0.2;

    public static ProductsResult Run(DeviceChoice devices, NetworkSpec spec, int batch, Precision precision)
    {
        var shapes = GemmShape.Of(spec, batch);
        var (accelerator, name) = devices.OpenFirst();
        using var _ = accelerator;
        using var stream = accelerator.CreateStream();
        using var blas = GpuBlas.Create(accelerator, precision == Precision.Tf32);
        var a = accelerator.Allocate1D<float>(shapes.Max(g => (long)g.M * g.K));
        var b = accelerator.Allocate1D<float>(shapes.Max(g => (long)g.K * g.N));
        var c = accelerator.Allocate1D<float>(shapes.Max(g => (long)g.M * g.N));
        try
        {
            var fill = Fill.For(accelerator);
            fill(stream, a.View, 0.01f);
            fill(stream, b.View, 0.02f);
            fill(stream, c.View, 0f);
            stream.Synchronize();

            void Launch(GemmShape g)
                => blas.Gemm(stream, g.TransposeA, g.TransposeB, g.M, g.N, g.K, a.View, g.Lda, b.View, g.Ldb, false, c.View, g.N);
            void Step()
            {
                foreach (var g in shapes) Launch(g);
            }

            Console.WriteLine($"  products ({precision.ToString().ToUpperInvariant()}, {blas.Name}, {name}):");
            var stepSeconds = Time(stream, Step);
            var rows = new List<GemmTiming>();
            foreach (var g in shapes)
            {
                var seconds = Time(stream, () => Launch(g));
                var tflops = 2.0 * g.M * g.N * g.K / seconds / 1e12;
                rows.Add(new GemmTiming(g, seconds * 1e3, tflops));
                Console.WriteLine($"    {g.Label,-30} {g.M,6}×{g.N,-6}×{g.K,6} {(g.TransposeA ? "Aᵀ" : "A ")}{(g.TransposeB ? "Bᵀ" : "B ")}  {seconds * 1e3,9:F4} ms  {tflops,7:F2} TFLOP/s");
            }
            var totalFlops = shapes.Sum(g => 2.0 * g.M * g.N * g.K);
            Console.WriteLine($"    all {shapes.Count} back to back: {stepSeconds * 1e3:F4} ms a step ({totalFlops / stepSeconds / 1e12:F2} TFLOP/s; sum of the single timings {rows.Sum(r => r.Milliseconds):F4} ms)");
            return new ProductsResult(blas.Name, name, stepSeconds * 1e3, totalFlops / stepSeconds / 1e12, shapes, rows);
        }
        finally
        {
            c.Dispose();
            b.Dispose();
            a.Dispose();
        }
    }

    /// <summary>
    /// Seconds per call of <paramref name="work"/>: a warm-up call (compiles), one timed call; when that is shorter than
    /// <see cref="TargetSeconds"/>, another warm-up and enough calls to fill it, timed together.
    /// </summary>
    internal static double Time(AcceleratorStream stream, Action work)
    {
        work();
        stream.Synchronize();
        var clock = Stopwatch.StartNew();
        work();
        stream.Synchronize();
        var once = clock.Elapsed.TotalSeconds;
        if (once >= TargetSeconds) return once;
        work();
        var repetitions = (int)Math.Clamp(Math.Ceiling(TargetSeconds / Math.Max(once, 1e-7)), 2, 2000);
        stream.Synchronize();
        clock.Restart();
        for (var i = 0; i < repetitions; i++) work();
        stream.Synchronize();
        return clock.Elapsed.TotalSeconds / repetitions;
    }
}

/// <summary>
/// One product of the training step, row-major <c>C[m×n] = op(A)·op(B)</c> as the GPU device issues it. For each
/// dense edge in → out at batch B: forward B×out×in, the input delta B×in×out (not into an input layer), the weight
/// gradient in×out×B; an edge from a sparse input has no product (a gather forward, a scatter update).
/// </summary>
internal sealed record GemmShape(string Label, int M, int N, int K, bool TransposeA, bool TransposeB)
{
    /// <summary>Leading dimension of A as stored (k for m×k, m for k×m).</summary>
    public int Lda => TransposeA ? M : K;

    /// <summary>Leading dimension of B as stored (n for k×n, k for n×k).</summary>
    public int Ldb => TransposeB ? K : N;

    public static IReadOnlyList<GemmShape> Of(NetworkSpec spec, int batch)
    {
        var shapes = new List<GemmShape>();
        foreach (var layer in spec.Layers.Where(l => l.Kind != LayerKind.Input))
        {
            foreach (var sourceName in layer.Sources)
            {
                var source = spec[sourceName];
                if (source.Kind == LayerKind.Input && source.Sparse) continue;
                var edge = $"{source.Name}→{layer.Name}";
                shapes.Add(new GemmShape($"{edge} forward", batch, layer.Width, source.Width, false, false));
                if (source.Kind != LayerKind.Input)
                    shapes.Add(new GemmShape($"{edge} input delta", batch, source.Width, layer.Width, false, true));
                shapes.Add(new GemmShape($"{edge} weight gradient", source.Width, layer.Width, batch, true, false));
            }
        }
        return shapes;
    }
}

/// <summary>One product's time alone.</summary>
internal sealed record GemmTiming(GemmShape Shape, double Milliseconds, double Tflops);

/// <summary>The step's products.</summary>
internal sealed record ProductsResult(string Blas, string Device, double StepMilliseconds, double Tflops, IReadOnlyList<GemmShape> Shapes, IReadOnlyList<GemmTiming> Timings);

/// <summary>A fill kernel of this project (to initialise buffers without host copies).</summary>
internal static class Fill
{
    public static Action<AcceleratorStream, ArrayView<float>, float> For(Accelerator accelerator)
    {
        var kernel = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, float>(Kernel);
        return (stream, view, value) => kernel(stream, (int)view.Length, view, value);
    }

    private static void Kernel(Index1D i, ArrayView<float> view, float value) => view[i] = value;
}
