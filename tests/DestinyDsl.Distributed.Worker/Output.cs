namespace DestinyDsl.Distributed.Worker;

/// <summary>Prints lines tagged with this rank, so a job's interleaved output can be split per rank.</summary>
internal static class Output
{
    private static string _prefix = "[?/?]";

    public static void SetRank(int rank, int size) => _prefix = $"[{rank}/{size}]";

    public static void Line(string text) => Console.WriteLine($"{_prefix} {text}");
}
