using DestinyDsl.Distributed.Tests.Support;
using static DestinyDsl.Distributed.Tests.Mpi.MpiJobAssertions;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>How MPI is found, initialised and checked: library choice, launcher mismatch, thread level, UCX, errors.</summary>
public class MpiSetupTests
{
    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_job_reports_its_library_thread_level_and_ranks() => Info(Flavour.OpenMpi, "Open MPI", "libmpi.so.40");

    [MpiFact(Flavour.Mpich)]
    public void Mpich_job_reports_its_library_thread_level_and_ranks() => Info(Flavour.Mpich, "MPICH", "libmpich.so.12");

    [MpiFact(Flavour.OpenMpi, Flavour.Mpich)]
    public void Mpich_library_under_open_mpi_launcher_is_detected_and_reported()
    {
        var run = WorkerJob.Launch(Flavour.OpenMpi, 2, "info", environment: new Dictionary<string, string?> { ["DESTINYDSL_MPI"] = "mpich" });
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("MPI size mismatch: started by mpirun.openmpi (OMPI_COMM_WORLD_SIZE=2) but MPICH's libmpich.so.12 was loaded (DESTINYDSL_MPI=mpich): "
                        + "size 1 from MPI_Comm_size, expected 2.", run.Output);
        Assert.DoesNotContain("info library=", run.Output);
    }

    [MpiFact(Flavour.OpenMpi, Flavour.Mpich)]
    public void Open_mpi_library_under_mpich_launcher_is_detected_and_reported()
    {
        var run = WorkerJob.Launch(Flavour.Mpich, 2, "info", environment: new Dictionary<string, string?> { ["DESTINYDSL_MPI"] = "openmpi" });
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("MPI size mismatch: started by mpirun.mpich (PMI_SIZE=2) but Open MPI's libmpi.so.40 was loaded (DESTINYDSL_MPI=openmpi): "
                        + "size 1 from MPI_Comm_size, expected 2.", run.Output);
    }

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_null_reference_after_init_is_an_ordinary_exception() => NullReference(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_null_reference_after_init_is_an_ordinary_exception_despite_ucx() => NullReference(Flavour.Mpich);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_error_codes_become_exceptions_naming_the_call() => ErrorCode(Flavour.OpenMpi, "MPI_ERR_COMM: invalid communicator");

    [MpiFact(Flavour.Mpich)]
    public void Mpich_error_codes_become_exceptions_naming_the_call() => ErrorCode(Flavour.Mpich, "Invalid communicator");

    [MpiFact(Flavour.OpenMpi)]
    public void Without_a_launcher_mpi_runs_a_singleton_of_one_rank()
    {
        var run = WorkerJob.RunPlain("info");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("info library=Open MPI ", run.Lines(0)[0]);
        Assert.Contains("rank=0 size=1 shards=1 primary=True", run.Lines(0)[0]);
        Assert.StartsWith("description mpi 1 rank (Open MPI ", run.Lines(0)[1]);
    }

    [Fact]
    public void A_library_that_cannot_be_loaded_is_reported_by_name()
    {
        var run = WorkerJob.RunPlain("info", new Dictionary<string, string?> { ["DESTINYDSL_MPI_LIBRARY"] = "/nonexistent/libmpi.so.40" });
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("MPI requested but DESTINYDSL_MPI_LIBRARY=/nonexistent/libmpi.so.40 could not be loaded: /nonexistent/libmpi.so.40: cannot open shared object file", run.Output);
    }

    [Fact]
    public void An_unknown_mpi_setting_is_reported_with_the_accepted_values()
    {
        var run = WorkerJob.RunPlain("info", new Dictionary<string, string?> { ["DESTINYDSL_MPI"] = "lam" });
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("DESTINYDSL_MPI=lam is not understood: expected openmpi, mpich or auto", run.Output);
    }

    private static void Info(Flavour flavour, string library, string file)
    {
        var run = WorkerJob.Launch(flavour, 2, "info");
        Assert.True(run.ExitCode == 0, run.ToString());
        for (int rank = 0; rank < 2; rank++)
        {
            var lines = run.Lines(rank);
            Assert.StartsWith($"info library={library} ", lines[0]);
            Assert.Contains($"file={file} thread=MPI_THREAD_MULTIPLE rank={rank} size=2 shards=2 primary={rank == 0}", lines[0]);
            Assert.StartsWith($"description mpi 2 ranks ({library} ", lines[1]);
            Assert.Equal("native UCX_HANDLE_ERRORS=none", lines[2]);
        }
    }

    private static void NullReference(Flavour flavour)
    {
        var run = WorkerJob.Launch(flavour, 2, "nullref");
        Succeeded(run, 2);
        Assert.All(new[] { 0, 1 }, rank => Assert.Contains("caught NullReferenceException", run.Lines(rank)));
    }

    private static void ErrorCode(Flavour flavour, string text)
    {
        var run = WorkerJob.Launch(flavour, 2, "mpi-error");
        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var rank in new[] { 0, 1 })
        {
            var line = run.Lines(rank).Single(l => l.StartsWith("mpi-error", StringComparison.Ordinal));
            Assert.Contains("mpi-error call=MPI_Barrier code=", line);
            Assert.Contains("message=MPI_Barrier failed with MPI error ", line);
            Assert.Contains(text, line);
        }
    }
}
