using DestinyDsl.Runtime.Interop.Mpi;

namespace DestinyDsl.Runtime.Distributed.Mpi;

/// <summary>
/// What started this process, read from the variables the launcher puts in each rank's environment. The launcher
/// decides which MPI library can work: a library that does not match the launcher's wire-up protocol does not fail,
/// it silently starts a singleton of size 1, so the size the launcher announced is kept to verify against
/// <c>MPI_Comm_size</c>.
/// </summary>
/// <param name="Description">For messages, e.g. "mpirun.openmpi (OMPI_COMM_WORLD_SIZE=4)".</param>
/// <param name="Flavour">The MPI whose library matches the launcher, or null when no launcher was detected.</param>
/// <param name="ExpectedSize">The number of ranks the launcher started, when it says.</param>
internal sealed record MpiLauncher(string Description, MpiFlavour? Flavour, int? ExpectedSize)
{
    /// <summary>No launcher: a plain <c>dotnet app.dll</c>, which MPI runs as a singleton (one rank).</summary>
    public bool IsNone => Flavour is null;

    public static MpiLauncher Detect(Func<string, string?> environment)
    {
        // Open MPI's mpirun/prterun sets OMPI_COMM_WORLD_* (it also sets PMIX_*, so test it first).
        if (environment("OMPI_COMM_WORLD_SIZE") is { } ompiSize)
            return new($"mpirun.openmpi (OMPI_COMM_WORLD_SIZE={ompiSize})", MpiFlavour.OpenMpi, ParseSize(ompiSize));

        // MPICH's hydra (mpirun.mpich, mpiexec.hydra) and Slurm's srun --mpi=pmi2 speak PMI: PMI_RANK/PMI_SIZE/PMI_FD.
        var pmiSize = environment("PMI_SIZE");
        if (pmiSize is not null || environment("PMI_RANK") is not null || environment("PMI_FD") is not null
            || environment("HYDRA_CONTROL_FD") is not null)
        {
            var launcher = environment("SLURM_STEP_ID") is not null ? "srun (PMI)" : "mpirun.mpich";
            var shown = pmiSize is null ? "PMI_SIZE unset" : $"PMI_SIZE={pmiSize}";
            return new($"{launcher} ({shown})", MpiFlavour.Mpich, pmiSize is null ? null : ParseSize(pmiSize));
        }

        // srun --mpi=pmix (and PRRTE) speak PMIx without OMPI_* variables; Debian's Open MPI is the PMIx client.
        if (environment("PMIX_RANK") is { } pmixRank)
        {
            var steps = environment("SLURM_STEP_NUM_TASKS");
            var shown = steps is null ? $"PMIX_RANK={pmixRank}" : $"SLURM_STEP_NUM_TASKS={steps}";
            return new($"a PMIx launcher such as srun --mpi=pmix ({shown})", MpiFlavour.OpenMpi, steps is null ? null : ParseSize(steps));
        }

        return new("no MPI launcher (a plain process: MPI starts a singleton of one rank)", null, 1);
    }

    private static int? ParseSize(string text) => int.TryParse(text, out var size) && size > 0 ? size : null;
}
