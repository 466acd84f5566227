using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using DestinyDsl.Benchmarks.Kernels;

// The FMA peak every GFLOP/s figure is compared with, measured here before the benchmarks (or taken from
// KERNELS_PEAK_1T / KERNELS_PEAK_2T, e.g. the numbers benchmarks/fma-peak/fma-peak prints).
foreach (var threads in new[] { 1, 2 })
{
    Console.WriteLine($"FMA peak, {threads} thread(s): {FmaPeak.GflopsFor(threads):F1} GFLOP/s");
}

var config = DefaultConfig.Instance
    // In process: no rebuild per benchmark, and the measured peak is shared with the columns.
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10))
    .AddColumn(
        new DerivedColumn("GFLOP/s", "Floating-point operations per second at the median time", (c, ns) =>
            DerivedColumn.Parameter<GemmShape>(c, "Shape") is { } shape && c.Descriptor.Type == typeof(GemmBenchmarks) ? shape.Flops / ns : null),
        new DerivedColumn("% peak", "GFLOP/s as a share of the measured FMA peak for the same thread count", (c, ns) =>
            DerivedColumn.Parameter<GemmShape>(c, "Shape") is { } shape && c.Descriptor.Type == typeof(GemmBenchmarks) && DerivedColumn.IntParameter(c, "Threads") is { } t
                ? 100 * shape.Flops / ns / FmaPeak.GflopsFor(t) : null),
        new DerivedColumn("ns/nnz", "Median time per non-zero of the batch", (c, ns) =>
            c.Descriptor.Type == typeof(SparseBenchmarks) ? ns / SparseBatch.Standard.NonZeros : null, "F2"),
        new DerivedColumn("GB/s", "Weight or delta rows read (non-zeros × 1024 floats) per second", (c, ns) =>
            c.Descriptor.Type == typeof(SparseBenchmarks) ? SparseBatch.Standard.NonZeros * (double)SparseBenchmarks.Units * sizeof(float) / ns : null));

BenchmarkSwitcher.FromAssembly(typeof(FmaPeak).Assembly).Run(args, config);
