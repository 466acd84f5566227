using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;
using static DestinyDsl.Distributed.Tests.Mpi.MpiJobAssertions;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>
/// A failure, a cancellation or a divergence in the middle of training on MPI ranks. A rank whose shard throws
/// cannot hand its error to ranks blocked in an MPI collective: it prints the error naming itself and ends the job
/// (MPI_Abort), within seconds. Cancellation on one rank only and a NaN on one rank are agreed through the per-step
/// loss all-reduce: every rank stops at the same step and goes on working.
/// </summary>
public class MpiTrainingFailureTests
{
    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_a_rank_that_throws_mid_step_ends_the_job_naming_itself() => Fault(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_a_rank_that_throws_mid_step_ends_the_job_naming_itself() => Fault(Flavour.Mpich);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_cancellation_on_one_rank_stops_every_rank_after_the_same_step() => Cancel(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_cancellation_on_one_rank_stops_every_rank_after_the_same_step() => Cancel(Flavour.Mpich);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_a_nan_on_one_rank_makes_every_rank_throw_the_same_divergence() => Diverge(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_a_nan_on_one_rank_makes_every_rank_throw_the_same_divergence() => Diverge(Flavour.Mpich);

    private static void Fault(Flavour flavour)
    {
        var run = WorkerJob.Launch(flavour, 3, "fault", ["1", "4"]);
        EndedBecauseOf(run, "DestinyDsl.Runtime.Distributed.ShardFailedException: Shard 1 of 3 (MPI rank 1 of 3) failed: InvalidOperationException: injected fault in shard 1's device");
        Assert.Contains("[rank 1/3] DestinyDsl: aborting the MPI job", run.Output);
        // No rank got past the failure: none printed its result.
        for (var rank = 0; rank < 3; rank++) Assert.DoesNotContain("done", run.Lines(rank));
    }

    private static void Cancel(Flavour flavour)
    {
        var uninterrupted = MpiTrainingTests.Losses(TrainingScenario.Run(FailureScenario.Network, DeviceGroup.Cpu(1)));
        var run = WorkerJob.Launch(flavour, 2, "cancel", ["1", "4"]);
        Succeeded(run, 2);
        for (var rank = 0; rank < 2; rank++)
        {
            var lines = ScenarioLines(run, rank);
            Assert.Contains("cancelled at step 4", lines);
            Assert.Equal("finished at step 20", lines[^1]);
            MpiTrainingTests.CompareLosses(uninterrupted, MpiTrainingTests.Losses(lines), $"rank {rank}, cancelled by rank 1 and resumed", run.ToString());
        }
    }

    private static void Diverge(Flavour flavour)
    {
        var inProcess = FailureScenario.Diverge(FaultyDevices.InProcess(2, FailureScenario.At(1, 3, FaultKind.Poison)));
        Assert.Contains("on shard 1 of 2 at step 2", inProcess[0]);
        var run = WorkerJob.Launch(flavour, 2, "diverge", ["1", "3"]);
        Succeeded(run, 2);
        SameAsInProcess(run, [inProcess, inProcess]);
    }
}
