using DestinyDsl.Runtime.Distributed.Mpi;
using DestinyDsl.Runtime.Interop.Mpi;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>Which MPI the launcher's environment calls for (the variables as mpirun.openmpi, mpirun.mpich and srun set them).</summary>
public class LauncherDetectionTests
{
    [Fact]
    public void Open_mpi_mpirun_is_recognised_by_OMPI_COMM_WORLD_SIZE_even_though_it_also_sets_PMIx_variables()
    {
        var launcher = Detect(("OMPI_COMM_WORLD_SIZE", "4"), ("OMPI_COMM_WORLD_RANK", "1"), ("PMIX_RANK", "1"));
        Assert.Equal((MpiFlavour.OpenMpi, 4, "mpirun.openmpi (OMPI_COMM_WORLD_SIZE=4)"), (launcher.Flavour, launcher.ExpectedSize, launcher.Description));
    }

    [Fact]
    public void Hydra_is_recognised_by_its_PMI_variables()
    {
        var launcher = Detect(("PMI_RANK", "0"), ("PMI_SIZE", "2"), ("PMI_FD", "6"));
        Assert.Equal((MpiFlavour.Mpich, 2, "mpirun.mpich (PMI_SIZE=2)"), (launcher.Flavour, launcher.ExpectedSize, launcher.Description));
    }

    [Fact]
    public void Srun_with_pmi2_calls_for_mpich_and_srun_with_pmix_for_open_mpi()
    {
        var pmi2 = Detect(("PMI_RANK", "3"), ("PMI_SIZE", "8"), ("SLURM_STEP_ID", "0"));
        Assert.Equal((MpiFlavour.Mpich, 8, "srun (PMI) (PMI_SIZE=8)"), (pmi2.Flavour, pmi2.ExpectedSize, pmi2.Description));
        var pmix = Detect(("PMIX_RANK", "3"), ("SLURM_STEP_NUM_TASKS", "8"));
        Assert.Equal((MpiFlavour.OpenMpi, 8), (pmix.Flavour, pmix.ExpectedSize));
    }

    [Fact]
    public void A_plain_process_is_a_singleton_of_one_rank()
    {
        var launcher = Detect(("SLURM_NTASKS", "4")); // inside an allocation but not started by srun
        Assert.True(launcher.IsNone);
        Assert.Equal(1, launcher.ExpectedSize);
    }

    private static MpiLauncher Detect(params (string Name, string Value)[] variables)
        => MpiLauncher.Detect(name => variables.FirstOrDefault(v => v.Name == name).Value);
}
