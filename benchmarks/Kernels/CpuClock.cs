using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>CPU time consumed (by the process, or by the calling thread), which time-slicing by other processes does not inflate.</summary>
public static partial class CpuClock
{
    private const int ProcessClock = 2;   // CLOCK_PROCESS_CPUTIME_ID
    private const int ThreadClock = 3;    // CLOCK_THREAD_CPUTIME_ID

    /// <summary>Seconds of CPU time used by all threads of this process.</summary>
    public static double Process() => OperatingSystem.IsLinux() ? Read(ProcessClock) : System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>Seconds of CPU time used by the calling thread (the process's on other systems than Linux).</summary>
    public static double Thread() => OperatingSystem.IsLinux() ? Read(ThreadClock) : Process();

    private static double Read(int clock)
    {
        if (clock_gettime(clock, out var time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime({clock}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
        return time.Seconds + (time.Nanoseconds * 1e-9);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clock, out TimeSpec time);

    /// <summary>Wall-clock seconds (for symmetry with the CPU clocks).</summary>
    public static double Wall() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
}
