using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Runtime.Distributed;
using Xunit.Sdk;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>What the MPI tests check about a finished job, with the whole job output in every failure message.</summary>
internal static class MpiJobAssertions
{
    public static void Succeeded(WorkerRun run, int ranks)
    {
        if (run.ExitCode != 0) throw new XunitException($"the job failed:\n{run}");
        for (int rank = 0; rank < ranks; rank++)
            if (!run.Lines(rank).Contains("done")) throw new XunitException($"rank {rank} did not finish:\n{run}");
    }

    /// <summary>A job that had to end because one rank failed: non-zero exit, well within the bound, with the cause in the output.</summary>
    public static void EndedBecauseOf(WorkerRun run, string cause)
    {
        if (run.ExitCode == 0) throw new XunitException($"the job should have failed:\n{run}");
        if (run.Wall >= TimeSpan.FromSeconds(60)) throw new XunitException($"the job took {run.Wall.TotalSeconds:F1} s to end (bound: 60 s):\n{run}");
        if (!run.Output.Contains(cause, StringComparison.Ordinal)) throw new XunitException($"the output does not contain \"{cause}\":\n{run}");
        if (run.Output.Contains("unexpected:", StringComparison.Ordinal)) throw new XunitException($"a rank went on past the failure:\n{run}");
    }

    /// <summary>The lines a rank printed for a scenario, without the job-specific header and footer.</summary>
    public static List<string> ScenarioLines(WorkerRun run, int rank)
        => run.Lines(rank).Where(line => !line.StartsWith("group ", StringComparison.Ordinal) && line != "done").ToList();

    /// <summary>Asserts that every rank printed exactly what the in-process shard of the same rank produced.</summary>
    public static void SameAsInProcess(WorkerRun run, IReadOnlyList<List<string>> inProcess, Func<WorkerRun, int, List<string>>? select = null)
    {
        select ??= ScenarioLines;
        for (int rank = 0; rank < inProcess.Count; rank++)
        {
            var mpi = select(run, rank);
            if (!mpi.SequenceEqual(inProcess[rank]))
            {
                var first = Enumerable.Range(0, Math.Max(mpi.Count, inProcess[rank].Count))
                    .First(i => i >= mpi.Count || i >= inProcess[rank].Count || mpi[i] != inProcess[rank][i]);
                throw new XunitException($"rank {rank} line {first}: MPI printed \"{(first < mpi.Count ? mpi[first] : "(nothing)")}\", "
                                         + $"in-process gave \"{(first < inProcess[rank].Count ? inProcess[rank][first] : "(nothing)")}\"\n{run}");
            }
        }
    }

    public static List<string>[] RunInProcess(int shards, Func<ICommunicator, List<string>> scenario)
    {
        var comms = DeviceGroup.Cpu(shards).CreateShardCommunicators();
        var lines = Shards.Run(comms, scenario);
        Shards.DisposeAll(comms);
        return lines;
    }
}
