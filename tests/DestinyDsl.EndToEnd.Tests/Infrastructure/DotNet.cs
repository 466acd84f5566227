using System.Diagnostics;
using System.Text;

namespace DestinyDsl.EndToEnd.Tests.Infrastructure;

/// <summary>The outcome of one <c>dotnet</c> command: exit code and the interleaved output.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() => $"$ {Command}\n(exit {ExitCode}, {Elapsed.TotalSeconds:F1} s)\n{Output}";
}

/// <summary>Runs the <c>dotnet</c> CLI as a user would, with a generous timeout and the whole log kept for failures.</summary>
internal static class DotNet
{
    public static CommandResult Run(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // Never talk to a long-lived build server left by another build, and keep the output plain.
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // The test host's own MSBuild settings must not leak into the child build.
        foreach (var key in new[] { "MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "VSTEST_HOST_DEBUG" }) start.Environment.Remove(key);

        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout.TotalMinutes:F0} min in {workingDirectory}:\n{output}");
        }
        process.WaitForExit();
        lock (output) return new CommandResult("dotnet " + string.Join(' ', arguments), process.ExitCode, output.ToString(), clock.Elapsed);
    }
}
