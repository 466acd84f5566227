using DestinyDsl.Distributed.Tests.Support;
using static DestinyDsl.Distributed.Tests.Mpi.MpiJobAssertions;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>
/// A rank that fails must end the whole job within seconds (the others are blocked in a collective that can only
/// end by MPI_Abort), and the job's output must say why.
/// </summary>
public class MpiFaultTests
{
    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_unhandled_exception_on_one_rank_ends_the_job() => UnhandledException(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_unhandled_exception_on_one_rank_ends_the_job() => UnhandledException(Flavour.Mpich);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_abort_on_failure_from_a_catch_ends_the_job() => CaughtException(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_abort_on_failure_from_a_catch_ends_the_job() => CaughtException(Flavour.Mpich);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_non_zero_exit_of_one_rank_ends_the_job() => NonZeroExit(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_non_zero_exit_of_one_rank_ends_the_job() => NonZeroExit(Flavour.Mpich);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_communicator_abort_ends_the_job() => CommunicatorAbort(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_communicator_abort_ends_the_job() => CommunicatorAbort(Flavour.Mpich);

    private static void UnhandledException(Flavour flavour)
    {
        var run = WorkerJob.Launch(flavour, 4, "throw-unhandled", ["2"]);
        EndedBecauseOf(run, "System.InvalidOperationException: planned failure on rank 2");
        Assert.Contains("[rank 2/4] DestinyDsl: aborting the MPI job", run.Output);
    }

    private static void CaughtException(Flavour flavour)
    {
        var run = WorkerJob.Launch(flavour, 2, "throw-caught", ["0"]);
        EndedBecauseOf(run, "planned failure on rank 0, caught");
        Assert.Contains("[rank 0/2] DestinyDsl: aborting the MPI job", run.Output);
    }

    private static void NonZeroExit(Flavour flavour)
    {
        var run = WorkerJob.Launch(flavour, 2, "exit-code", ["1"]);
        EndedBecauseOf(run, "[rank 1/2] DestinyDsl: exiting with code 3 inside an MPI job of 2 ranks: calling MPI_Abort");
        Assert.Equal(3, run.ExitCode);
    }

    private static void CommunicatorAbort(Flavour flavour)
    {
        var run = WorkerJob.Launch(flavour, 2, "comm-abort", ["1"]);
        EndedBecauseOf(run, "planned abort through ICommunicator on rank 1");
    }
}
