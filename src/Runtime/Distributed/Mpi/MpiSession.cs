using DestinyDsl.Runtime.Interop;
using DestinyDsl.Runtime.Interop.Mpi;

namespace DestinyDsl.Runtime.Distributed.Mpi;

/// <summary>
/// MPI in this process, from <c>MPI_Init_thread</c> to <c>MPI_Finalize</c> (or <c>MPI_Abort</c>): the bound library,
/// the world, the thread level it granted, and the rules for calling it. Created once by <see cref="MpiJob"/>.
/// </summary>
internal sealed unsafe class MpiSession
{
    private readonly int _initThreadId = Environment.CurrentManagedThreadId;
    private readonly object? _serializer;
    private readonly object _exitGate = new();
    private volatile bool _ended;

    private MpiSession(MpiApi api, MpiLauncher launcher, int threadLevel, int worldRank, int worldSize, string version, bool setUcxVariable)
    {
        Api = api;
        Launcher = launcher;
        ThreadLevel = threadLevel;
        WorldRank = worldRank;
        WorldSize = worldSize;
        Version = version;
        SetUcxVariable = setUcxVariable;
        // Below MPI_THREAD_MULTIPLE the runtime serialises calls itself (enough for SERIALIZED; FUNNELED/SINGLE also
        // need every call on the initialising thread, which BeginCall enforces).
        _serializer = threadLevel < MpiApi.ThreadMultiple ? new object() : null;
    }

    public MpiApi Api { get; }

    public MpiLauncher Launcher { get; }

    public int ThreadLevel { get; }

    public int WorldRank { get; }

    public int WorldSize { get; }

    /// <summary>"Open MPI 4.1.4", "MPICH 4.0.2".</summary>
    public string Version { get; }

    /// <summary>True when the runtime set <c>UCX_HANDLE_ERRORS=none</c> (it was not set already).</summary>
    public bool SetUcxVariable { get; }

    public bool HasEnded => _ended;

    public static string ThreadLevelName(int level) => level switch
    {
        MpiApi.ThreadSingle => "MPI_THREAD_SINGLE",
        MpiApi.ThreadFunneled => "MPI_THREAD_FUNNELED",
        MpiApi.ThreadSerialized => "MPI_THREAD_SERIALIZED",
        MpiApi.ThreadMultiple => "MPI_THREAD_MULTIPLE",
        _ => $"thread level {level}",
    };

    /// <summary>Loads the library the launcher calls for, initialises MPI and checks that the world is the launcher's.</summary>
    public static MpiSession Start(Func<string, string?> environment)
    {
        var launcher = MpiLauncher.Detect(environment);
        var request = Choose(launcher, environment);

        // UCX (MPICH's transport here) installs a SIGSEGV handler that turns every .NET NullReferenceException into a
        // crash. It reads UCX_HANDLE_ERRORS in libucs's constructor, i.e. when libmpich is loaded, from the *native*
        // environment — so set it with libc setenv (Environment.SetEnvironmentVariable would not reach it) before dlopen.
        bool setUcx = OperatingSystem.IsLinux() && Libc.SetIfUnset("UCX_HANDLE_ERRORS", "none");

        var api = MpiLibrary.Load(request);
        var version = MpiVersionText.Short(api.Flavour, api.LibraryVersion());

        int initialized = 0;
        api.Check(api.Initialized(&initialized), "MPI_Initialized");
        if (initialized != 0)
            throw new MpiException($"{version} was already initialised in this process by other code; DestinyDsl must own MPI_Init and MPI_Finalize.");

        int provided = 0;
        api.Check(api.InitThread(MpiApi.ThreadMultiple, &provided), "MPI_Init_thread");
        // MPI_COMM_WORLD aborts on error by default; return codes instead, so failures become exceptions naming the call.
        api.Check(api.CommSetErrhandler(api.CommWorld, api.ErrorsReturn), "MPI_Comm_set_errhandler");
        int size = 0, rank = 0;
        api.Check(api.CommSize(api.CommWorld, &size), "MPI_Comm_size");
        api.Check(api.CommRank(api.CommWorld, &rank), "MPI_Comm_rank");

        if (launcher.ExpectedSize is { } expected && expected != size)
        {
            api.Finalize(); // the mismatched library runs a singleton: end it cleanly, it is of no use
            throw new MpiException(Mismatch(launcher, request, api, expected, size));
        }
        return new MpiSession(api, launcher, provided, rank, size, version, setUcx);
    }

    private static MpiLibraryRequest Choose(MpiLauncher launcher, Func<string, string?> environment)
    {
        var forced = environment("DESTINYDSL_MPI")?.Trim();
        var file = environment("DESTINYDSL_MPI_LIBRARY")?.Trim();
        if (string.IsNullOrEmpty(file)) file = null;

        MpiFlavour? flavour = forced?.ToLowerInvariant() switch
        {
            null or "" or "auto" => file is null ? launcher.Flavour : null,
            "openmpi" or "open-mpi" or "ompi" => MpiFlavour.OpenMpi,
            "mpich" => MpiFlavour.Mpich,
            _ => throw new MpiException($"DESTINYDSL_MPI={forced} is not understood: expected openmpi, mpich or auto (unset = follow the launcher)."),
        };
        string reason = forced is { Length: > 0 } && forced != "auto" ? $"DESTINYDSL_MPI={forced}"
            : file is not null ? $"DESTINYDSL_MPI_LIBRARY={file}"
            : launcher.IsNone ? "no launcher detected" : $"started by {launcher.Description}";
        return new MpiLibraryRequest(flavour, file, reason);
    }

    private static string Mismatch(MpiLauncher launcher, MpiLibraryRequest request, MpiApi api, int expected, int size)
    {
        bool chosenByUser = request.Reason.StartsWith("DESTINYDSL_", StringComparison.Ordinal);
        var how = chosenByUser ? $" ({request.Reason})" : "";
        var fix = launcher.Flavour is { } wanted && wanted != api.Flavour
            ? $"A library that does not match the launcher starts every rank as its own singleton. Launch with {api.Flavour.Display()}'s mpirun, "
              + $"or let the runtime load {wanted.Display()}'s {wanted.DefaultLibrary()}{(chosenByUser ? " (unset the variable)" : "")}."
            : "The launcher and the library are the same kind of MPI but disagree on the job: use the mpirun that belongs to the loaded library.";
        return $"MPI size mismatch: started by {launcher.Description} but {api.Flavour.Display()}'s {api.LibraryFile} was loaded{how}: "
               + $"size {size} from MPI_Comm_size, expected {expected}. {fix}";
    }

    /// <summary>Enters an MPI call: enforces the thread level the library granted. Dispose the scope after the call.</summary>
    public CallScope BeginCall(string call)
    {
        if (HasEnded) throw new MpiException($"{call} called after MPI was finalised (the process is exiting).");
        if (ThreadLevel < MpiApi.ThreadSerialized && Environment.CurrentManagedThreadId != _initThreadId)
            throw new InvalidOperationException(
                $"{call} from managed thread {Environment.CurrentManagedThreadId}: {Version} only provides {ThreadLevelName(ThreadLevel)}, so every MPI call "
                + $"must come from the thread that initialised MPI (managed thread {_initThreadId}, the one that called DeviceGroup.FromMpi()).");
        if (_serializer is not null) Monitor.Enter(_serializer);
        return new CallScope(_serializer);
    }

    /// <summary>Prints <paramref name="reason"/> and ends the whole job with <c>MPI_Abort</c>. Does not return.</summary>
    public void Abort(Exception reason, int errorCode)
    {
        lock (_exitGate)
        {
            _ended = true;
            Console.Out.Flush();
            Console.Error.WriteLine($"[rank {WorldRank}/{WorldSize}] DestinyDsl: aborting the MPI job ({Version}) because of: {reason}");
            LetLauncherForwardOutput();
            Api.Abort(Api.CommWorld, errorCode == 0 ? 1 : errorCode);
        }
        // MPI_Abort returned (it should not): never let this rank continue or finalise.
        Environment.Exit(errorCode == 0 ? 1 : errorCode);
    }

    /// <summary>
    /// The launcher is tearing the job down (SIGTERM/SIGINT/SIGHUP, e.g. after another rank's <c>MPI_Abort</c>). .NET turns
    /// the signal into a normal shutdown that runs <c>ProcessExit</c> while a collective may still be blocked on another
    /// thread, so MPI is left alone: calling <c>MPI_Finalize</c> concurrently with that call would be undefined.
    /// </summary>
    public void MarkTerminatedBySignal()
    {
        lock (_exitGate) _ended = true;
    }

    /// <summary>At process exit: <c>MPI_Finalize</c>, or <c>MPI_Abort</c> when exiting with an error while other ranks may still wait.</summary>
    public void End(int exitCode)
    {
        lock (_exitGate)
        {
            if (_ended) return;
            if (exitCode != 0 && WorldSize > 1)
            {
                _ended = true;
                Console.Out.Flush();
                Console.Error.WriteLine($"[rank {WorldRank}/{WorldSize}] DestinyDsl: exiting with code {exitCode} inside an MPI job of {WorldSize} ranks: "
                                        + "calling MPI_Abort so the other ranks do not wait forever.");
                LetLauncherForwardOutput();
                Api.Abort(Api.CommWorld, exitCode);
                return;
            }
            _ended = true;
            int code = Api.Finalize();
            if (code != MpiApi.Success)
                Console.Error.WriteLine($"[rank {WorldRank}/{WorldSize}] DestinyDsl: MPI_Finalize failed with MPI error {code}: {Api.DescribeError(code)}");
        }
    }

    // MPI_Abort makes the launcher kill every rank; hydra's proxies then stop forwarding output, and the reason just
    // written to stderr was seen to get lost. A short pause on this (failure-only) path lets it through.
    private static void LetLauncherForwardOutput()
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Thread.Sleep(200);
    }

    /// <summary>Held for the duration of one MPI call; releases the serialising lock when the library needs one.</summary>
    public readonly ref struct CallScope(object? serializer)
    {
        public void Dispose()
        {
            if (serializer is not null) Monitor.Exit(serializer);
        }
    }
}
