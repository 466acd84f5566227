using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>
/// A complement to the BenchmarkDotNet GEMM numbers for shared machines (<c>--cpu-efficiency</c>): every shape is
/// run for a few seconds per thread count, and each call's GFLOP/s are computed both per wall-clock second and per
/// second of CPU time the process consumed. The CPU-time figure, compared with one core's FMA peak measured the
/// same way, is what the kernel achieves while it runs — memory stalls and shared-cache effects included, time
/// taken by other processes excluded. It is taken over the whole run, not per call: Linux brings a running worker
/// thread's CPU time up to date only at scheduler ticks, so a single short call's figure would be stale.
/// </summary>
public static class CpuEfficiency
{
    public static void Run(double secondsPerCase)
    {
        var peak = FmaPeak.PerCoreCpuGflops();
        Console.WriteLine($"One core's FMA peak per CPU-second: {peak:F1} GFLOP/s");
        Console.WriteLine($"{"shape",-42} {"threads",7} {"wall best",10} {"wall median",12} {"CPU efficiency",15}");
        foreach (var shape in GemmShape.Network)
        {
            var a = BenchmarkData.Shared("a", (long)shape.ARows * shape.ACols, 1);
            var b = BenchmarkData.Shared("b", (long)shape.BRows * shape.BCols, 2);
            var c = BenchmarkData.Shared("c", (long)shape.M * shape.N, 3);
            foreach (var threads in new[] { 1, 2 })
            {
                KernelThreads.Count = threads;
                void Call() => Gemm.Multiply(shape.TransposeA, shape.TransposeB, shape.M, shape.N, shape.K, a, shape.ACols, b, shape.BCols, false, c, shape.N);
                Call();
                var wall = new List<double>();
                var end = CpuClock.Wall() + secondsPerCase;
                var cpuStart = CpuClock.Process();
                while (CpuClock.Wall() < end || wall.Count < 3)
                {
                    var w0 = CpuClock.Wall();
                    Call();
                    wall.Add(CpuClock.Wall() - w0);
                }
                var cpu = CpuClock.Process() - cpuStart;
                wall.Sort();
                var gflop = shape.Flops / 1e9;
                Console.WriteLine(
                    $"{shape,-42} {threads,7} {gflop / wall[0],10:F1} {gflop / wall[wall.Count / 2],12:F1} " +
                    $"{100 * gflop * wall.Count / cpu / peak,14:F0}%");
            }
        }
        Console.WriteLine("wall: GFLOP/s per second of elapsed time (best and median call); CPU efficiency: GFLOP/s per CPU-second consumed by all threads over the run, as a share of one core's peak.");
    }
}
