using System.Runtime.InteropServices;
using DestinyDsl.Runtime.Distributed.Mpi;

namespace DestinyDsl.Runtime.Distributed;

/// <summary>
/// The MPI job this process belongs to. MPI is initialised once per process, by the first
/// <see cref="DeviceGroup.FromMpi"/>, and finalised at process exit. While it runs, an unhandled exception on any
/// rank, or an exit with a non-zero code, ends the whole job with <c>MPI_Abort</c> so no rank waits forever in a
/// collective; <see cref="AbortOnFailure"/> does the same from a <c>catch</c>.
/// </summary>
public static class MpiJob
{
    private static readonly object Gate = new();
    private static MpiSession? _session;
    private static Exception? _startFailure;

    // Kept alive for the life of the process: disposing a registration removes its handler.
    private static PosixSignalRegistration[] _signalRegistrations = [];

    /// <summary>True between MPI's initialisation in this process and its finalisation.</summary>
    public static bool IsRunning => Volatile.Read(ref _session) is { HasEnded: false };

    /// <summary>This process's rank in <c>MPI_COMM_WORLD</c>.</summary>
    public static int WorldRank => Running.WorldRank;

    /// <summary>The number of ranks in <c>MPI_COMM_WORLD</c>.</summary>
    public static int WorldSize => Running.WorldSize;

    /// <summary>The library, shortened: "Open MPI 4.1.4", "MPICH 4.0.2".</summary>
    public static string LibraryVersion => Running.Version;

    /// <summary>The file that was loaded: "libmpi.so.40", "libmpich.so.12", or <c>DESTINYDSL_MPI_LIBRARY</c>'s value.</summary>
    public static string LibraryFile => Running.Api.LibraryFile;

    /// <summary>The thread level MPI granted ("MPI_THREAD_MULTIPLE" on Debian's Open MPI and MPICH).</summary>
    public static string ThreadLevel => MpiSession.ThreadLevelName(Running.ThreadLevel);

    /// <summary>
    /// If this process is a rank of a running MPI job of more than one rank: prints <paramref name="reason"/> to
    /// standard error and calls <c>MPI_Abort</c>, which ends every rank (this call does not return). Otherwise
    /// returns, so the caller handles the error as it would without MPI. Call it from a <c>catch</c> around the
    /// training of one rank.
    /// </summary>
    public static void AbortOnFailure(Exception reason, int errorCode = 1)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (Volatile.Read(ref _session) is { HasEnded: false, WorldSize: > 1 } session) session.Abort(reason, errorCode);
    }

    /// <summary>Starts MPI on first use (thread-safe); later calls return the same session or rethrow the same failure.</summary>
    internal static MpiSession Start()
    {
        lock (Gate)
        {
            if (_session is not null)
            {
                if (_session.HasEnded) throw new MpiException("MPI has already been finalised in this process; it cannot be started again.");
                return _session;
            }
            if (_startFailure is not null) throw new MpiException(_startFailure.Message, _startFailure);
            try
            {
                var session = MpiSession.Start(Environment.GetEnvironmentVariable);
                AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
                AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
                if (!OperatingSystem.IsWindows())
                    _signalRegistrations = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP }
                        .Select(signal => PosixSignalRegistration.Create(signal, _ => session.MarkTerminatedBySignal()))];
                Volatile.Write(ref _session, session);
                return session;
            }
            catch (Exception failure)
            {
                _startFailure = failure;
                throw;
            }
        }
    }

    private static MpiSession Running
    {
        get
        {
            if (Volatile.Read(ref _session) is { HasEnded: false } session) return session;
            throw new InvalidOperationException("MPI is not running in this process: call DeviceGroup.FromMpi() first (under mpirun or srun).");
        }
    }

    private static void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e)
    {
        var reason = e.ExceptionObject as Exception ?? new Exception($"Unhandled non-exception object: {e.ExceptionObject}");
        AbortOnFailure(reason);
    }

    private static void OnProcessExit(object? sender, EventArgs e) => Volatile.Read(ref _session)?.End(Environment.ExitCode);
}
