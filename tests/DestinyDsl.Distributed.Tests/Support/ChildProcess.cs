using System.Diagnostics;
using System.Text;
using Xunit.Sdk;

namespace DestinyDsl.Distributed.Tests.Support;

/// <summary>The outcome of a finished child process: exit code, wall time, and stdout + stderr as they arrived.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, TimeSpan Wall, string Output)
{
    public override string ToString() => $"$ {CommandLine}\nexit code {ExitCode} after {Wall.TotalSeconds:F1} s\n{Output}";
}

/// <summary>
/// Runs a child process with a hard timeout: on timeout the whole process tree (mpirun and every rank) is killed and
/// the test fails with everything the job printed so far.
/// </summary>
public static class ChildProcess
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        var commandLine = string.Join(' ', environment.Where(e => e.Value is not null).Select(e => $"{e.Key}={e.Value}")
            .Append(fileName).Concat(start.ArgumentList));

        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        var watch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { /* exited between the wait and the kill */ }
            process.WaitForExit(5000);
            string partial;
            lock (output) partial = output.ToString();
            throw new XunitException($"$ {commandLine}\ndid not finish within {timeout.TotalSeconds:F0} s; killed the process tree. Output so far:\n{partial}");
        }
        process.WaitForExit(); // drains the asynchronous readers
        watch.Stop();
        lock (output) return new ProcessResult(commandLine, process.ExitCode, watch.Elapsed, output.ToString());
    }
}
