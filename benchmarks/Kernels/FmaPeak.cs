using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>
/// The machine's single-precision FMA peak, measured in process the way <c>benchmarks/fma-peak/fma-peak.c</c>
/// does: twelve independent FMA chains (distinct start values, so none can be merged) per thread, all threads at
/// once. The widest accelerated width is used; on Zen 4 a 512-bit FMA issues at half the rate of a 256-bit one,
/// so either gives the same FLOP rate.
/// </summary>
public static class FmaPeak
{
    private static readonly Dictionary<int, double> Measured = [];
    private static double _perCoreCpu;

    /// <summary>
    /// The peak "% peak" columns compare with for <paramref name="threads"/> threads: <c>KERNELS_PEAK_{n}T</c> if set,
    /// else <paramref name="threads"/> × one core's peak per CPU-second (<see cref="PerCoreCpuGflops"/>). On an idle
    /// machine that equals the wall-clock peak of all threads at once (fma-peak: 115 per core, 229 with two); unlike a
    /// wall-clock measurement at start-up it is not lowered by whatever else the machine runs at that moment.
    /// </summary>
    public static double GflopsFor(int threads)
    {
        var overridden = Environment.GetEnvironmentVariable($"KERNELS_PEAK_{threads}T");
        return overridden != null ? double.Parse(overridden, System.Globalization.CultureInfo.InvariantCulture) : threads * PerCoreCpuGflops();
    }

    /// <summary>Forgets the cached wall-clock measurements (to measure again, e.g. after a long benchmark).</summary>
    public static void Forget()
    {
        lock (Measured)
        {
            Measured.Clear();
        }
    }

    /// <summary>GFLOP/s of <paramref name="threads"/> threads at once by the wall clock (best of three runs of about 0.3 s), cached.</summary>
    public static double WallGflops(int threads)
    {
        lock (Measured)
        {
            if (!Measured.TryGetValue(threads, out var value))
            {
                Measured[threads] = value = Measure(threads);
            }
            return value;
        }
    }

    /// <summary>
    /// GFLOP/s of one core per second of CPU time it actually ran (best of three): the peak that
    /// <see cref="CpuEfficiency"/> compares with; time-slicing by other processes does not lower it.
    /// </summary>
    public static double PerCoreCpuGflops()
    {
        lock (Measured)
        {
            if (_perCoreCpu == 0)
            {
                const long iterations = 8_000_000;
                var lanes = Vector512.IsHardwareAccelerated ? 16 : 8;
                for (var round = 0; round < 3; round++)
                {
                    var start = CpuClock.Thread();
                    Chains(iterations, 1f + round);
                    _perCoreCpu = Math.Max(_perCoreCpu, iterations * 12.0 * lanes * 2 / (CpuClock.Thread() - start) / 1e9);
                }
            }
            return _perCoreCpu;
        }
    }

    private static double Measure(int threads)
    {
        const long iterations = 8_000_000;
        var best = 0.0;
        for (var round = 0; round < 3; round++)
        {
            using var start = new Barrier(threads + 1);
            var seconds = new double[threads];
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                var watch = Stopwatch.StartNew();
                Chains(iterations, 1f + t);
                seconds[t] = watch.Elapsed.TotalSeconds;
            })).ToArray();
            foreach (var worker in workers)
            {
                worker.Start();
            }
            start.SignalAndWait();
            foreach (var worker in workers)
            {
                worker.Join();
            }
            var lanes = Vector512.IsHardwareAccelerated ? 16 : 8;
            best = Math.Max(best, threads * iterations * 12.0 * lanes * 2 / seconds.Max() / 1e9);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains(long iterations, float seed)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var scale = Vector512.Create(0.9999999f);
            var shift = Vector512.Create(seed * 1e-7f);
            Vector512<float> a0 = Vector512.Create(seed), a1 = Vector512.Create(seed + 0.125f), a2 = Vector512.Create(seed + 0.25f), a3 = Vector512.Create(seed + 0.375f),
                a4 = Vector512.Create(seed + 0.5f), a5 = Vector512.Create(seed + 0.625f), a6 = Vector512.Create(seed + 0.75f), a7 = Vector512.Create(seed + 0.875f),
                a8 = Vector512.Create(seed + 1f), a9 = Vector512.Create(seed + 1.125f), a10 = Vector512.Create(seed + 1.25f), a11 = Vector512.Create(seed + 1.375f);
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, scale, shift);
                a1 = Vector512.FusedMultiplyAdd(a1, scale, shift);
                a2 = Vector512.FusedMultiplyAdd(a2, scale, shift);
                a3 = Vector512.FusedMultiplyAdd(a3, scale, shift);
                a4 = Vector512.FusedMultiplyAdd(a4, scale, shift);
                a5 = Vector512.FusedMultiplyAdd(a5, scale, shift);
                a6 = Vector512.FusedMultiplyAdd(a6, scale, shift);
                a7 = Vector512.FusedMultiplyAdd(a7, scale, shift);
                a8 = Vector512.FusedMultiplyAdd(a8, scale, shift);
                a9 = Vector512.FusedMultiplyAdd(a9, scale, shift);
                a10 = Vector512.FusedMultiplyAdd(a10, scale, shift);
                a11 = Vector512.FusedMultiplyAdd(a11, scale, shift);
            }
            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
        }
        else
        {
            var scale = Vector256.Create(0.9999999f);
            var shift = Vector256.Create(seed * 1e-7f);
            Vector256<float> a0 = Vector256.Create(seed), a1 = Vector256.Create(seed + 0.125f), a2 = Vector256.Create(seed + 0.25f), a3 = Vector256.Create(seed + 0.375f),
                a4 = Vector256.Create(seed + 0.5f), a5 = Vector256.Create(seed + 0.625f), a6 = Vector256.Create(seed + 0.75f), a7 = Vector256.Create(seed + 0.875f),
                a8 = Vector256.Create(seed + 1f), a9 = Vector256.Create(seed + 1.125f), a10 = Vector256.Create(seed + 1.25f), a11 = Vector256.Create(seed + 1.375f);
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector256.FusedMultiplyAdd(a0, scale, shift);
                a1 = Vector256.FusedMultiplyAdd(a1, scale, shift);
                a2 = Vector256.FusedMultiplyAdd(a2, scale, shift);
                a3 = Vector256.FusedMultiplyAdd(a3, scale, shift);
                a4 = Vector256.FusedMultiplyAdd(a4, scale, shift);
                a5 = Vector256.FusedMultiplyAdd(a5, scale, shift);
                a6 = Vector256.FusedMultiplyAdd(a6, scale, shift);
                a7 = Vector256.FusedMultiplyAdd(a7, scale, shift);
                a8 = Vector256.FusedMultiplyAdd(a8, scale, shift);
                a9 = Vector256.FusedMultiplyAdd(a9, scale, shift);
                a10 = Vector256.FusedMultiplyAdd(a10, scale, shift);
                a11 = Vector256.FusedMultiplyAdd(a11, scale, shift);
            }
            return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
        }
    }
}
