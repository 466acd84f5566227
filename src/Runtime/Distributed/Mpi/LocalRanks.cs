using System.Globalization;

namespace DestinyDsl.Runtime.Distributed.Mpi;

/// <summary>
/// How many ranks of the job share this machine, from the launcher's environment (Open MPI's
/// <c>OMPI_COMM_WORLD_LOCAL_SIZE</c>, MPICH/Hydra's <c>MPI_LOCALNRANKS</c>, Slurm's <c>SLURM_NTASKS_PER_NODE</c>);
/// 1 when none says. The ranks on one machine share its cores, so each rank's kernels take an equal part of them.
/// </summary>
internal static class LocalRanks
{
    private static readonly string[] Variables = ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"];
    private static readonly string[] RankVariables = ["OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID"];

    /// <summary>This process's rank among the ranks on its machine (0 when no launcher says): the GPU it takes.</summary>
    public static int LocalRank()
    {
        foreach (var name in RankVariables)
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r >= 0) return r;
        }
        return 0;
    }

    public static int Count()
    {
        foreach (var name in Variables)
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        }
        return 1;
    }

    /// <summary>Kernel threads per rank: this machine's cores divided among its ranks (at least 1).</summary>
    public static int KernelThreadsPerRank() => Math.Max(1, Environment.ProcessorCount / Count());
}
