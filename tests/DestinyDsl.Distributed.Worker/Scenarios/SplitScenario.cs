using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Worker.Scenarios;

/// <summary>
/// Splits the group by rank parity with keys that reverse the order (key = −rank), checks the new ranks and sizes,
/// runs the whole <see cref="CollectiveScenario"/> inside each part (the parts run at the same time and must not
/// mix), then uses the parent again to show it is unaffected.
/// </summary>
public static class SplitScenario
{
    public static List<string> Run(ICommunicator comm)
    {
        int color = comm.Rank % 2;
        using var part = comm.Split(color, key: -comm.Rank);
        int expectedSize = Enumerable.Range(0, comm.Size).Count(r => r % 2 == color);
        int expectedRank = Enumerable.Range(0, comm.Size).Count(r => r % 2 == color && r > comm.Rank);
        if (part.Size != expectedSize || part.Rank != expectedRank)
            throw new ScenarioFailure($"rank {comm.Rank}: Split({color}, {-comm.Rank}) gave rank {part.Rank} of {part.Size}, expected rank {expectedRank} of {expectedSize}");

        var lines = new List<string> { $"split color={color} rank={part.Rank} size={part.Size}" };
        lines.AddRange(CollectiveScenario.Run(part).Select(line => $"part {line}"));

        // The parent still works after the split, and its counters did not see the parts' traffic.
        var ranks = new double[] { comm.Rank };
        comm.AllReduce(ranks, ReductionOperation.Sum);
        double wanted = comm.Size * (comm.Size - 1) / 2.0;
        if (ranks[0] != wanted) throw new ScenarioFailure($"rank {comm.Rank}: parent AllReduce after Split gave {ranks[0]}, expected {wanted}");
        lines.Add($"parent allreduce {ranks[0]} counters={comm.Counters.TotalBytes}");
        return lines;
    }
}
