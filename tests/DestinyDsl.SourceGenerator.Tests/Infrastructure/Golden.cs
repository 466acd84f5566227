using System.Runtime.CompilerServices;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>
/// Golden files of generated sources without Verify: <c>Golden/&lt;Test&gt;/&lt;HintName minus .cs&gt;.verified.cs</c> beside
/// this project's sources. A mismatch writes <c>.received.cs</c> next to the golden file and fails with the first
/// differing line; <c>DNET_UPDATE_GOLDEN=1</c> rewrites the golden files (and removes stale ones). The set of
/// hint names must match the set of golden files. Line endings are normalised; the generator version is replaced
/// by <c>{VERSION}</c> so a version bump does not churn every file.
/// </summary>
internal static class Golden
{
    private const string VerifiedSuffix = ".verified.cs";
    private const string ReceivedSuffix = ".received.cs";

    public static bool Updating => Environment.GetEnvironmentVariable("DNET_UPDATE_GOLDEN") == "1";

    public static void Verify(string testName, IReadOnlyList<(string HintName, string Text)> sources, [CallerFilePath] string callerFile = "")
    {
        var directory = Path.Combine(ProjectDirectory(callerFile), "Golden", testName);
        Directory.CreateDirectory(directory);
        var expectedFiles = Directory.GetFiles(directory, "*" + VerifiedSuffix).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var failures = new List<string>();

        foreach (var (hintName, text) in sources.OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            var fileName = FileNameOf(hintName);
            expectedFiles.Remove(fileName);
            var verifiedPath = Path.Combine(directory, fileName);
            var receivedPath = verifiedPath.Substring(0, verifiedPath.Length - VerifiedSuffix.Length) + ReceivedSuffix;
            var actual = Normalise(text);
            if (Updating)
            {
                File.WriteAllText(verifiedPath, actual);
                File.Delete(receivedPath);
                continue;
            }
            if (!File.Exists(verifiedPath))
            {
                File.WriteAllText(receivedPath, actual);
                failures.Add($"{testName}/{fileName}: no golden file for hint name '{hintName}' (wrote {Path.GetFileName(receivedPath)}; set DNET_UPDATE_GOLDEN=1 to accept).");
                continue;
            }
            var expected = Normalise(File.ReadAllText(verifiedPath));
            if (expected == actual)
            {
                File.Delete(receivedPath);
                continue;
            }
            File.WriteAllText(receivedPath, actual);
            failures.Add($"{testName}/{fileName}: {FirstDifference(expected, actual)} (wrote {Path.GetFileName(receivedPath)}; set DNET_UPDATE_GOLDEN=1 to accept).");
        }

        foreach (var stale in expectedFiles)
        {
            if (Updating) File.Delete(Path.Combine(directory, stale!));
            else failures.Add($"{testName}/{stale}: golden file for a hint name the generator no longer produces.");
        }

        if (failures.Count > 0) Assert.Fail(string.Join(Environment.NewLine, failures));
    }

    /// <summary><c>MovieLens.MovieLensAutoencoder.g.cs</c> → <c>MovieLens.MovieLensAutoencoder.g.verified.cs</c>.</summary>
    public static string FileNameOf(string hintName) =>
        (hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName.Substring(0, hintName.Length - 3) : hintName) + VerifiedSuffix;

    public static string Normalise(string text) =>
        text.Replace("\r\n", "\n").Replace($"GeneratedCode(\"DestinyDsl\", \"{Emit.DnetFileEmitter.GeneratorVersion}\")", "GeneratedCode(\"DestinyDsl\", \"{VERSION}\")");

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end of file>";
            var al = i < a.Length ? a[i] : "<end of file>";
            if (el != al) return $"line {i + 1} differs:{Environment.NewLine}  expected: {el}{Environment.NewLine}  actual:   {al}";
        }
        return "texts differ";
    }

    private static string ProjectDirectory(string callerFile)
    {
        var directory = Path.GetDirectoryName(callerFile)!;
        while (!File.Exists(Path.Combine(directory, "DestinyDsl.SourceGenerator.Tests.csproj")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException($"No test project above {callerFile}.");
        }
        return directory;
    }
}
