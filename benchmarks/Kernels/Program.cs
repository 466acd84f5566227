using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using DestinyDsl.Benchmarks.Kernels;

if (args.Contains("--cpu-efficiency"))
{
    CpuEfficiency.Run(secondsPerCase: 3);
    return;
}

// The FMA peak every "% peak" figure is compared with: threads × one core's peak per CPU-second, measured here
// (or KERNELS_PEAK_1T / KERNELS_PEAK_2T, e.g. what benchmarks/fma-peak/fma-peak prints on an idle machine).
foreach (var threads in new[] { 1, 2 })
{
    Console.WriteLine($"FMA peak, {threads} thread(s): {FmaPeak.GflopsFor(threads):F1} GFLOP/s used for % peak; " +
        $"{FmaPeak.WallGflops(threads):F1} by the wall clock right now (lower when other processes run)");
}

static double? Flops(BenchmarkCase c) => DerivedColumn.Parameter<GemmShape>(c, "Shape") is { } shape && c.Descriptor.Type == typeof(GemmBenchmarks) ? shape.Flops : null;
static double? PeakShare(BenchmarkCase c, double ns)
    => Flops(c) is { } flops && DerivedColumn.IntParameter(c, "Threads") is { } t ? 100 * flops / ns / FmaPeak.GflopsFor(t) : null;
static double? SparseBytes(BenchmarkCase c)
    => c.Descriptor.Type == typeof(SparseBenchmarks) ? SparseBatch.Standard.NonZeros * (double)SparseBenchmarks.Units * sizeof(float) : null;

var config = DefaultConfig.Instance
    .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48))
    // In process: no rebuild per benchmark, and the measured peak is shared with the columns.
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15))
    .AddColumn(StatisticColumn.Min)
    .AddColumn(
        new DerivedColumn("GFLOP/s", "Floating-point operations per second at the median time", (c, ns) => Flops(c) / ns),
        new DerivedColumn("% peak", "Median GFLOP/s as a share of the measured FMA peak for the same thread count", PeakShare),
        new DerivedColumn("best % peak", "GFLOP/s at the best time as a share of the peak", PeakShare, best: true),
        new DerivedColumn("ns/nnz", "Median time per non-zero of the batch", (c, ns) => SparseBytes(c) is null ? null : ns / SparseBatch.Standard.NonZeros, "F2"),
        new DerivedColumn("GB/s", "Weight or delta rows read (non-zeros × 1024 floats) per second at the median time", (c, ns) => SparseBytes(c) / ns));

BenchmarkSwitcher.FromAssembly(typeof(FmaPeak).Assembly).Run(args, config);
