using DestinyDsl.Distributed.Tests.Support;
using DestinyDsl.Distributed.Worker.Scenarios;
using static DestinyDsl.Distributed.Tests.Mpi.MpiJobAssertions;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>
/// Real jobs under mpirun.openmpi and mpirun.mpich: every rank runs the same scenario as the in-process tests (each
/// checks every element itself) and must print exactly what the in-process shard of the same rank produced —
/// results and byte counters.
/// </summary>
public class MpiCollectiveTests
{
    [MpiTheory(Flavour.OpenMpi)]
    [InlineData(2)]
    [InlineData(4)]
    public void Open_mpi_collectives_match_in_process(int ranks) => Collectives(Flavour.OpenMpi, ranks);

    [MpiTheory(Flavour.Mpich)]
    [InlineData(2)]
    [InlineData(4)]
    public void Mpich_collectives_match_in_process(int ranks) => Collectives(Flavour.Mpich, ranks);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_communicator_split_matches_in_process() => Split(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_communicator_split_matches_in_process() => Split(Flavour.Mpich);

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_device_group_split_carves_the_job_into_groups() => DeviceSplit(Flavour.OpenMpi, "Open MPI");

    [MpiFact(Flavour.Mpich)]
    public void Mpich_device_group_split_carves_the_job_into_groups() => DeviceSplit(Flavour.Mpich, "MPICH");

    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_two_models_on_two_threads_per_rank_never_mix() => TwoModels(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_two_models_on_two_threads_per_rank_never_mix() => TwoModels(Flavour.Mpich);

    private static void Collectives(Flavour flavour, int ranks)
    {
        var run = WorkerJob.Launch(flavour, ranks, "collectives");
        Succeeded(run, ranks);
        SameAsInProcess(run, RunInProcess(ranks, CollectiveScenario.Run));
        Assert.Contains($"group mpi {ranks} ranks ({(flavour == Flavour.OpenMpi ? "Open MPI" : "MPICH")} ", run.Lines(0)[0]);
    }

    private static void Split(Flavour flavour)
    {
        const int ranks = 4;
        var run = WorkerJob.Launch(flavour, ranks, "split");
        Succeeded(run, ranks);
        SameAsInProcess(run, RunInProcess(ranks, SplitScenario.Run));
    }

    private static void DeviceSplit(Flavour flavour, string library)
    {
        // 4 ranks → 2 groups (color = rank % 2), each a 2-rank model-parallel group running every collective.
        const int ranks = 4;
        var run = WorkerJob.Launch(flavour, ranks, "device-split");
        Succeeded(run, ranks);
        var inGroupOfTwo = RunInProcess(2, CollectiveScenario.Run);
        for (int rank = 0; rank < ranks; rank++)
        {
            var lines = run.Lines(rank);
            int groupRank = rank / 2;
            Assert.StartsWith($"device-split color={rank % 2} shards=2 rank={groupRank} group-primary={groupRank == 0} primary={rank == 0} "
                              + $"description=mpi 2 ranks of 4 ({library} ", lines[0]);
            Assert.EndsWith($", color {rank % 2}", lines[0]);
            Assert.Equal(inGroupOfTwo[groupRank], lines.Where(l => l.StartsWith("part ", StringComparison.Ordinal)).Select(l => l["part ".Length..]).ToList());
        }
    }

    private static void TwoModels(Flavour flavour)
    {
        const int ranks = 2;
        var run = WorkerJob.Launch(flavour, ranks, "two-models");
        Succeeded(run, ranks);
        var inProcess = RunInProcess(ranks, comm => TwoModelsScenario.Run(comm, comm.Split(0, comm.Rank)));
        SameAsInProcess(run, inProcess);
    }
}
