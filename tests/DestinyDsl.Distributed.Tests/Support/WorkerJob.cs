using System.Reflection;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace DestinyDsl.Distributed.Tests.Support;

/// <summary>A finished job of the worker program: the process result, plus each rank's "[r/P] …" lines.</summary>
public sealed partial record WorkerRun(ProcessResult Process)
{
    /// <summary>Everything the job printed, with terminal escape codes removed (Open MPI gives ranks a pty).</summary>
    public string Output { get; } = TerminalEscape().Replace(Process.Output, "");

    public int ExitCode => Process.ExitCode;

    public TimeSpan Wall => Process.Wall;

    /// <summary>The lines rank <paramref name="rank"/> printed, in order, without the "[r/P] " tag.</summary>
    public IReadOnlyList<string> Lines(int rank)
        => Output.Split('\n').Select(line => RankTag().Match(line.TrimEnd('\r')))
            .Where(m => m.Success && int.Parse(m.Groups[1].Value) == rank)
            .Select(m => m.Groups[2].Value).ToList();

    public override string ToString() => $"$ {Process.CommandLine}\nexit code {ExitCode} after {Wall.TotalSeconds:F1} s\n{Output}";

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")]
    private static partial Regex TerminalEscape();

    [GeneratedRegex(@"^\[(\d+)/\d+\] (.*)$")]
    private static partial Regex RankTag();
}

/// <summary>Launches the worker program (tests/DestinyDsl.Distributed.Worker) under mpirun, or as a plain process.</summary>
public static class WorkerJob
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    public static string WorkerAssembly
    {
        get
        {
            var path = typeof(WorkerJob).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "WorkerAssembly").Value!;
            if (!File.Exists(path))
                throw new XunitException($"The worker program {path} was not built; build tests/DestinyDsl.Distributed.Worker with the same configuration as the tests.");
            return path;
        }
    }

    /// <summary>The dotnet host running the tests (so the ranks use the same runtime), else "dotnet" from PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary><c>mpirun.openmpi --allow-run-as-root --oversubscribe -np N</c> or <c>mpirun.mpich -np N</c>, then <c>dotnet worker.dll scenario args</c>.</summary>
    public static WorkerRun Launch(Flavour flavour, int ranks, string scenario, string[]? arguments = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var launcher = MpiInstallation.Launcher(flavour)
            ?? throw new XunitException($"{MpiInstallation.LauncherName(flavour)} is not installed, and CI=true requires the MPI tests to run: "
                                        + $"apt-get install {MpiInstallation.Package(flavour)} (.ci/run does this).");
        var launcherArguments = flavour == Flavour.OpenMpi
            ? new[] { "--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString() }
            : new[] { "-np", ranks.ToString() };
        var command = launcherArguments.Concat([Dotnet, WorkerAssembly, scenario]).Concat(arguments ?? []);
        return new WorkerRun(ChildProcess.Run(launcher, command, CleanEnvironment(environment), timeout ?? DefaultTimeout));
    }

    /// <summary>The worker as a plain process, with no MPI launcher around it.</summary>
    public static WorkerRun RunPlain(string scenario, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
        => new(ChildProcess.Run(Dotnet, [WorkerAssembly, scenario], CleanEnvironment(environment), timeout ?? DefaultTimeout));

    // If the tests themselves run inside an MPI job, its launcher variables must not leak into the jobs they start;
    // and the runtime's own settings apply only when a test sets them.
    private static Dictionary<string, string?> CleanEnvironment(IReadOnlyDictionary<string, string?>? requested)
    {
        var environment = new Dictionary<string, string?>();
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("OMPI_", StringComparison.Ordinal) || name.StartsWith("PMI_", StringComparison.Ordinal)
                || name.StartsWith("PMIX_", StringComparison.Ordinal) || name.StartsWith("HYDRA_", StringComparison.Ordinal)
                || name.StartsWith("DESTINYDSL_MPI", StringComparison.Ordinal))
                environment[name] = null;
        }
        foreach (var (name, value) in requested ?? new Dictionary<string, string?>()) environment[name] = value;
        return environment;
    }
}
