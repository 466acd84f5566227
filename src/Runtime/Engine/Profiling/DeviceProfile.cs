using System.Collections.Concurrent;
using System.Diagnostics;

namespace DestinyDsl.Runtime.Engine.Profiling;

/// <summary>
/// Where a training step's time goes: wall time, call count and floating-point work of every device operation,
/// per operation and layer ("forward product + epilogue · h1", "weight gradient + update 1024×27278 (k 256)").
/// Attach it with <see cref="Distributed.DeviceGroup.Profiled"/>; read <see cref="Phases"/> after (or between)
/// training runs.
/// </summary>
/// <remarks>
/// A phase's time is the wall time of its device calls, measured around each call on the calling shard's thread.
/// On the CPU device calls are synchronous, so that is the operation's time (with all its threads). A GPU device
/// returns once work is queued: its phases then measure launch cost, not execution. Time spent outside device
/// calls (collectives, the schedule, data preparation) is the step time minus the sum of the phases.
/// Thread-safe: the shards of a group record into one profile.
/// </remarks>
public sealed class DeviceProfile
{
    private readonly ConcurrentDictionary<string, PhaseCounter> _phases = new();

    /// <summary>Every phase recorded so far, the most time first.</summary>
    public IReadOnlyList<DevicePhase> Phases =>
        _phases.Select(p => p.Value.Snapshot(p.Key)).OrderByDescending(p => p.Seconds).ToArray();

    /// <summary>Total seconds of all phases.</summary>
    public double TotalSeconds => _phases.Values.Sum(p => p.Seconds);

    /// <summary>Forgets what was recorded (e.g. after warm-up steps).</summary>
    public void Reset() => _phases.Clear();

    /// <summary>Adds one call of <paramref name="phase"/> that started at <paramref name="startTimestamp"/> (<see cref="Stopwatch"/> ticks).</summary>
    internal void Record(string phase, long startTimestamp, double flops)
    {
        var ticks = Stopwatch.GetTimestamp() - startTimestamp;
        _phases.GetOrAdd(phase, static _ => new PhaseCounter()).Add(ticks, flops);
    }

    private sealed class PhaseCounter
    {
        private long _calls;
        private long _ticks;
        private double _flops;

        public double Seconds => (double)Interlocked.Read(ref _ticks) / Stopwatch.Frequency;

        public void Add(long ticks, double flops)
        {
            lock (this)
            {
                _calls++;
                _ticks += ticks;
                _flops += flops;
            }
        }

        public DevicePhase Snapshot(string name)
        {
            lock (this)
            {
                return new DevicePhase(name, _calls, (double)_ticks / Stopwatch.Frequency, _flops);
            }
        }
    }
}

/// <summary>One phase of a <see cref="DeviceProfile"/>.</summary>
/// <param name="Name">Operation and layer or shape.</param>
/// <param name="Calls">How many device calls it took.</param>
/// <param name="Seconds">Their total wall time.</param>
/// <param name="Flops">Floating-point operations of the dense products in it (2·m·n·k each; 0 for memory-bound passes).</param>
public sealed record DevicePhase(string Name, long Calls, double Seconds, double Flops)
{
    /// <summary>Sustained GFLOP/s of the phase (0 when it does no counted products).</summary>
    public double Gflops => Seconds > 0 ? Flops / Seconds / 1e9 : 0;
}
