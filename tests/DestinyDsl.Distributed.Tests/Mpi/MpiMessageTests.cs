using DestinyDsl.Distributed.Tests.Support;
using static DestinyDsl.Distributed.Tests.Mpi.MpiJobAssertions;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>
/// Point-to-point messages through the binding (MPI_Send, MPI_Iprobe, MPI_Get_count, MPI_Recv) under both MPIs: the
/// source, tag and length that come back from each ABI's MPI_Status, messages of 0..3 bytes, any-source probes and
/// probes filtered by source and tag. The worker's "messages" scenario checks every byte itself.
/// </summary>
public class MpiMessageTests
{
    [MpiFact(Flavour.OpenMpi)]
    public void Open_mpi_point_to_point_messages_arrive_with_their_source_tag_and_bytes() => Messages(Flavour.OpenMpi);

    [MpiFact(Flavour.Mpich)]
    public void Mpich_point_to_point_messages_arrive_with_their_source_tag_and_bytes() => Messages(Flavour.Mpich);

    private static void Messages(Flavour flavour)
    {
        const int ranks = 3;
        var run = WorkerJob.Launch(flavour, ranks, "messages");
        Succeeded(run, ranks);
        Assert.Equal(["from 1 tag 5 bytes 2", "from 1 tag 7 bytes 0", "from 2 tag 5 bytes 3", "from 2 tag 7 bytes 0", "done"], run.Lines(0));
        for (var rank = 1; rank < ranks; rank++)
            Assert.Equal(["reply tag 9 bytes 3", "done"], run.Lines(rank));
    }
}
