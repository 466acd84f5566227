using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Distributed.Worker.Scenarios;

/// <summary>
/// Every collective of <see cref="ICommunicator"/> on uneven counts (ragged, zero-length blocks, all empty),
/// float and double, Sum and Max, in-place and separate gathers, every broadcast root. Inputs are chosen so every
/// reduction is exact in floating point, so each result is checked element by element against values computed
/// directly, whatever order the transport reduces in. Returns one line per call with a digest of its result (and
/// the byte counters at the end), so runs on different transports compare line by line. Shared by the worker
/// (MPI ranks) and the tests (in-process shards).
/// </summary>
public static class CollectiveScenario
{
    public static List<string> Run(ICommunicator comm)
    {
        var lines = new List<string>();
        var expected = new ExpectedTraffic();
        foreach (var (pattern, counts) in CountPatterns(comm.Size))
        {
            AllGather(comm, pattern, counts, inPlace: false, lines, expected);
            AllGather(comm, pattern, counts, inPlace: true, lines, expected);
            ReduceScatter(comm, pattern, counts, lines, expected);
            // One line for all the rooted calls of a pattern: more output lines make Open MPI's forwarding of many
            // ranks' output interleave mid-line.
            var rooted = new List<string>();
            foreach (int root in new[] { 0, comm.Size - 1 }.Distinct())
            {
                Gather(comm, pattern, counts, root, inPlace: false, rooted, expected);
                Gather(comm, pattern, counts, root, inPlace: true, rooted, expected);
                Scatter(comm, pattern, counts, root, rooted, expected);
            }
            lines.Add($"rooted {pattern} {Digest.Of<char>(string.Join(";", rooted))}");
        }
        foreach (int length in new[] { 0, 1, 7, 5000, 70001 })
        {
            foreach (var operation in new[] { ReductionOperation.Sum, ReductionOperation.Max })
            {
                AllReduceFloat(comm, length, operation, lines, expected);
                AllReduceDouble(comm, length, operation, lines, expected);
            }
        }
        for (int root = 0; root < comm.Size; root++)
            foreach (int length in new[] { 0, 13, 100_003 })
                Broadcast(comm, root, length, lines, expected);
        for (int i = 0; i < 3; i++) comm.Barrier();
        lines.Add("barrier x3");

        var c = comm.Counters;
        if (c.AllGatherBytes != expected.AllGather || c.ReduceScatterBytes != expected.ReduceScatter
            || c.AllReduceBytes != expected.AllReduce || c.BroadcastBytes != expected.Broadcast)
            throw new ScenarioFailure(
                $"rank {comm.Rank}: counters allgather={c.AllGatherBytes} reducescatter={c.ReduceScatterBytes} allreduce={c.AllReduceBytes} broadcast={c.BroadcastBytes}, "
                + $"expected {expected.AllGather}/{expected.ReduceScatter}/{expected.AllReduce}/{expected.Broadcast} from (P-1)/P*M and 2(P-1)/P*M");
        lines.Add($"counters allgather={c.AllGatherBytes} reducescatter={c.ReduceScatterBytes} allreduce={c.AllReduceBytes} broadcast={c.BroadcastBytes}");
        if (c.GatherBytes != expected.Gather || c.ScatterBytes != expected.Scatter)
            throw new ScenarioFailure($"rank {comm.Rank}: counters gather={c.GatherBytes} scatter={c.ScatterBytes}, expected {expected.Gather}/{expected.Scatter} (the bytes this rank sent)");
        lines.Add($"rooted counters gather={c.GatherBytes} scatter={c.ScatterBytes}");
        return lines;
    }

    /// <summary>Count patterns for P ranks: N not divisible by P, zero blocks, one non-empty block, nothing at all, and a large one.</summary>
    public static IEnumerable<(string Name, int[] Counts)> CountPatterns(int size)
    {
        int n = 10 + size;
        yield return ("ragged", Enumerable.Range(0, size).Select(r => n * (r + 1) / size - n * r / size).ToArray());
        yield return ("zeros", Enumerable.Range(0, size).Select(r => r % 2 == 1 ? 0 : r + 2).ToArray());
        yield return ("last-only", Enumerable.Range(0, size).Select(r => r == size - 1 ? 5 : 0).ToArray());
        yield return ("empty", new int[size]);
        yield return ("wide", Enumerable.Range(0, size).Select(r => 65536 + 3 * r).ToArray());
    }

    // Inputs: small multiples of 1/4 or 1/2, so sums over a few ranks are exact in float.
    public static float GatherValue(int rank, int i) => rank * 1000 + i * 0.5f;
    public static float ScatterInput(int rank, int j) => (rank + 1) * 0.25f * (j % 17) + rank;
    public static double SumInput(int rank, int i) => ((rank + 1) * (i % 29) - 7 * rank) * 0.5;
    public static double MaxInput(int rank, int i) => (i * 7 + rank * 13) % 31 - 15;
    public static byte BroadcastValue(int root, int i) => (byte)(i * 31 + root * 7 + 1);

    private static void AllGather(ICommunicator comm, string pattern, int[] counts, bool inPlace, List<string> lines, ExpectedTraffic expected)
    {
        int total = counts.Sum(), offset = counts.Take(comm.Rank).Sum(), mine = counts[comm.Rank];
        var result = new float[total];
        Array.Fill(result, float.NaN);
        if (inPlace)
        {
            for (int i = 0; i < mine; i++) result[offset + i] = GatherValue(comm.Rank, i);
            comm.AllGather(result.AsSpan(offset, mine), result, counts);
        }
        else
        {
            var local = new float[mine];
            for (int i = 0; i < mine; i++) local[i] = GatherValue(comm.Rank, i);
            comm.AllGather(local, result, counts);
        }
        int at = 0;
        for (int q = 0; q < comm.Size; q++)
            for (int i = 0; i < counts[q]; i++, at++)
                Expect(comm, $"AllGather {pattern}{(inPlace ? " in-place" : "")}", at, GatherValue(q, i), result[at]);
        expected.AllGather += Share(comm.Size, 4L * total);
        lines.Add($"allgather {pattern}{(inPlace ? " in-place" : "")} total={total} {Digest.Of<float>(result)}");
    }

    private static void ReduceScatter(ICommunicator comm, string pattern, int[] counts, List<string> lines, ExpectedTraffic expected)
    {
        int total = counts.Sum(), offset = counts.Take(comm.Rank).Sum(), mine = counts[comm.Rank];
        var input = new float[total];
        for (int j = 0; j < total; j++) input[j] = ScatterInput(comm.Rank, j);
        var local = new float[mine];
        Array.Fill(local, float.NaN);
        comm.ReduceScatter(input, local, counts);
        for (int i = 0; i < mine; i++)
        {
            double sum = 0;
            for (int q = 0; q < comm.Size; q++) sum += ScatterInput(q, offset + i);
            Expect(comm, $"ReduceScatter {pattern}", i, (float)sum, local[i]);
        }
        expected.ReduceScatter += Share(comm.Size, 4L * total);
        lines.Add($"reducescatter {pattern} local={mine} {Digest.Of<float>(local)}");
    }

    // Rooted gather: the root gets every block; the other ranks' result must stay untouched (they receive nothing).
    private static void Gather(ICommunicator comm, string pattern, int[] counts, int root, bool inPlace, List<string> lines, ExpectedTraffic expected)
    {
        int total = counts.Sum(), offset = counts.Take(comm.Rank).Sum(), mine = counts[comm.Rank];
        var result = new float[total];
        Array.Fill(result, float.NaN);
        var local = new float[mine];
        for (int i = 0; i < mine; i++) local[i] = GatherValue(comm.Rank, i);
        if (inPlace && comm.Rank == root)
        {
            local.CopyTo(result.AsSpan(offset));
            comm.Gather(result.AsSpan(offset, mine), result, counts, root);
        }
        else
        {
            comm.Gather(local, comm.Rank == root || !inPlace ? result : Span<float>.Empty, counts, root);
        }
        int at = 0;
        for (int q = 0; q < comm.Size; q++)
            for (int i = 0; i < counts[q]; i++, at++)
                if (comm.Rank == root) Expect(comm, $"Gather {pattern} root {root}", at, GatherValue(q, i), result[at]);
                else if (!float.IsNaN(result[at])) throw new ScenarioFailure($"rank {comm.Rank}: Gather {pattern} root {root} wrote element {at} of a non-root's result");
        if (comm.Rank != root) expected.Gather += 4L * mine;
        lines.Add($"gather {pattern} root={root}{(inPlace ? " in-place" : "")} total={total} {Digest.Of<float>(result)}");
    }

    // Rooted scatter: rank r receives block r of the root's input; only the root's input is read (others pass NaNs).
    private static void Scatter(ICommunicator comm, string pattern, int[] counts, int root, List<string> lines, ExpectedTraffic expected)
    {
        int total = counts.Sum(), offset = counts.Take(comm.Rank).Sum(), mine = counts[comm.Rank];
        var input = new float[comm.Rank == root ? total : 0];
        for (int j = 0; j < input.Length; j++) input[j] = ScatterInput(root, j);
        var local = new float[mine];
        Array.Fill(local, float.NaN);
        comm.Scatter(input, local, counts, root);
        for (int i = 0; i < mine; i++) Expect(comm, $"Scatter {pattern} root {root}", i, ScatterInput(root, offset + i), local[i]);
        if (comm.Rank == root) expected.Scatter += 4L * (total - mine);
        lines.Add($"scatter {pattern} root={root} local={mine} {Digest.Of<float>(local)}");
    }

    private static void AllReduceFloat(ICommunicator comm, int length, ReductionOperation operation, List<string> lines, ExpectedTraffic expected)
    {
        var buffer = new float[length];
        for (int i = 0; i < length; i++) buffer[i] = (float)Input(operation, comm.Rank, i);
        comm.AllReduce(buffer, operation);
        for (int i = 0; i < length; i++) Expect(comm, $"AllReduce<float> {operation}", i, (float)Reduced(comm.Size, operation, i), buffer[i]);
        expected.AllReduce += Share(comm.Size, 2L * 4 * length);
        lines.Add($"allreduce float {operation} length={length} {Digest.Of<float>(buffer)}");
    }

    private static void AllReduceDouble(ICommunicator comm, int length, ReductionOperation operation, List<string> lines, ExpectedTraffic expected)
    {
        var buffer = new double[length];
        for (int i = 0; i < length; i++) buffer[i] = Input(operation, comm.Rank, i);
        comm.AllReduce(buffer, operation);
        for (int i = 0; i < length; i++) Expect(comm, $"AllReduce<double> {operation}", i, Reduced(comm.Size, operation, i), buffer[i]);
        expected.AllReduce += Share(comm.Size, 2L * 8 * length);
        lines.Add($"allreduce double {operation} length={length} {Digest.Of<double>(buffer)}");
    }

    private static void Broadcast(ICommunicator comm, int root, int length, List<string> lines, ExpectedTraffic expected)
    {
        var buffer = new byte[length];
        for (int i = 0; i < length; i++) buffer[i] = comm.Rank == root ? BroadcastValue(root, i) : (byte)0xEE;
        comm.Broadcast(buffer, root);
        for (int i = 0; i < length; i++) Expect(comm, $"Broadcast root {root}", i, BroadcastValue(root, i), buffer[i]);
        expected.Broadcast += Share(comm.Size, length);
        lines.Add($"broadcast root={root} length={length} {Digest.Of<byte>(buffer)}");
    }

    private static double Input(ReductionOperation operation, int rank, int i)
        => operation == ReductionOperation.Sum ? SumInput(rank, i) : MaxInput(rank, i);

    private static double Reduced(int size, ReductionOperation operation, int i)
    {
        double value = operation == ReductionOperation.Sum ? 0 : double.NegativeInfinity;
        for (int q = 0; q < size; q++)
            value = operation == ReductionOperation.Sum ? value + SumInput(q, i) : Math.Max(value, MaxInput(q, i));
        return value;
    }

    // The documented ring convention, restated here independently of the runtime's RingTraffic.
    private static long Share(int ranks, long bytes) => bytes * (ranks - 1) / ranks;

    private static void Expect<T>(ICommunicator comm, string call, int index, T wanted, T found) where T : IEquatable<T>
    {
        if (!wanted.Equals(found))
            throw new ScenarioFailure($"rank {comm.Rank} of {comm.Size}: {call}: element {index} is {found}, expected {wanted}");
    }

    private sealed class ExpectedTraffic
    {
        public long AllGather;
        public long ReduceScatter;
        public long AllReduce;
        public long Broadcast;
        public long Gather;
        public long Scatter;
    }
}
