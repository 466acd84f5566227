using System.Diagnostics;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine.Profiling;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Benchmarks.HeadToHead;

/// <summary>Trains the generated DsstneBenchmark model in this process and times the steps after warm-up.</summary>
internal static class DotNetRunner
{
    /// <summary>Samples/s over the timed steps; with a <paramref name="profile"/>, it holds the timed steps' phases.</summary>
    public static double Run(HeadToHeadSettings s, SparseMatrix data, DeviceProfile? profile)
    {
        using var model = new DsstneBenchmark(itemsWidth: data.Columns, devices: profile is null ? null : DeviceGroup.Cpu().Profiled(profile));
        var clock = new StepClock(s.Warmup, profile);
        model.Train(data, new TrainingOptions { Epochs = 1 }, clock);
        LastAnonHugePagesMb = AnonHugePagesMb();
        LastCpuMsPerStep = clock.CpuMsPerStep();
        return clock.SamplesPerSecond(s.Batch);
    }

    /// <summary>
    /// CPU time this process used per timed step in the last run (all threads): less sensitive than the wall clock to
    /// other processes taking the cores, though not to their memory traffic.
    /// </summary>
    public static double LastCpuMsPerStep { get; private set; }

    /// <summary>This process's memory on transparent huge pages at the end of the last run (MB; 0 where unknown).</summary>
    public static long LastAnonHugePagesMb { get; private set; }

    private static long AnonHugePagesMb()
    {
        const string path = "/proc/self/smaps_rollup";
        if (!File.Exists(path)) return 0;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("AnonHugePages:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Records a timestamp at every step synchronously (Progress&lt;T&gt; would post asynchronously).</summary>
    private sealed class StepClock(int warmup, DeviceProfile? profile) : IProgress<TrainingProgress>
    {
        private readonly List<long> _timestamps = new() { Stopwatch.GetTimestamp() };
        private TimeSpan _cpuAtWarmup;

        public void Report(TrainingProgress value)
        {
            _timestamps.Add(Stopwatch.GetTimestamp());
            if (_timestamps.Count - 1 == warmup)
            {
                profile?.Reset(); // the profile covers the timed steps only
                _cpuAtWarmup = Process.GetCurrentProcess().TotalProcessorTime;
            }
        }

        public double CpuMsPerStep() => (Process.GetCurrentProcess().TotalProcessorTime - _cpuAtWarmup).TotalMilliseconds / Math.Max(1, _timestamps.Count - 1 - warmup);

        public double SamplesPerSecond(int batch)
        {
            var timed = _timestamps.Count - 1 - warmup;
            if (timed <= 0) throw new InvalidOperationException($"Only {_timestamps.Count - 1} steps ran; {warmup} were warm-up.");
            var seconds = (double)(_timestamps[^1] - _timestamps[warmup]) / Stopwatch.Frequency;
            return timed * batch / seconds;
        }
    }
}
