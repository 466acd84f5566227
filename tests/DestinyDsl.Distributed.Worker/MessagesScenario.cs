using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Worker;

/// <summary>
/// Point-to-point messages (MPI_Send, MPI_Iprobe, MPI_Recv) as the study coordinator uses them: every other rank sends
/// rank 0 a message of its rank + 1 bytes with tag 5 and an empty one with tag 7; rank 0 takes them in whatever order
/// they come, from any source and any tag, checks each one's bytes, then answers each sender with tag 9. So the
/// source and tag read from each ABI's MPI_Status, and the byte count, are tested under both MPIs.
/// </summary>
internal static class MessagesScenario
{
    public static int Run()
    {
        var world = DeviceGroup.FromMpi();
        Output.SetRank(MpiJob.WorldRank, MpiJob.WorldSize);
        using var comm = world.MpiCommunicator!.Duplicate();
        if (comm.Rank == 0)
        {
            var expected = (comm.Size - 1) * 2;
            var received = new List<string>();
            while (received.Count < expected)
            {
                if (!comm.TryProbe(source: null, tag: null, out var info))
                {
                    Thread.Yield();
                    continue;
                }
                var bytes = comm.Receive(info);
                var wanted = info.Tag == 5 ? Pattern(info.Source, info.Source + 1) : [];
                if (bytes.Length != info.Bytes || !bytes.AsSpan().SequenceEqual(wanted))
                    throw new InvalidOperationException($"message from {info.Source} tag {info.Tag}: {bytes.Length} bytes [{string.Join(",", bytes)}], expected [{string.Join(",", wanted)}]");
                received.Add($"from {info.Source} tag {info.Tag} bytes {info.Bytes}");
            }
            foreach (var line in received.Order(StringComparer.Ordinal)) Output.Line(line);
            for (var rank = 1; rank < comm.Size; rank++)
                comm.Send(Pattern(100 + rank, 3), rank, tag: 9);
        }
        else
        {
            comm.Send(Pattern(comm.Rank, comm.Rank + 1), 0, tag: 5);
            comm.Send([], 0, tag: 7);
            // Only tag 9 from rank 0 is waited for: a probe filtered by source and tag.
            Runtime.Distributed.Mpi.MpiMessageInfo answer;
            while (!comm.TryProbe(source: 0, tag: 9, out answer))
                Thread.Yield();
            Reply(comm, answer);
        }
        Output.Line("done");
        return 0;
    }

    private static void Reply(Runtime.Distributed.Mpi.MpiCommunicator comm, Runtime.Distributed.Mpi.MpiMessageInfo info)
    {
        var bytes = comm.Receive(info);
        if (info.Source != 0 || info.Tag != 9 || !bytes.AsSpan().SequenceEqual(Pattern(100 + comm.Rank, 3)))
            throw new InvalidOperationException($"reply from {info.Source} tag {info.Tag}: [{string.Join(",", bytes)}]");
        Output.Line($"reply tag {info.Tag} bytes {bytes.Length}");
    }

    private static byte[] Pattern(int seed, int length) => Enumerable.Range(0, length).Select(i => (byte)(seed * 31 + i)).ToArray();
}
