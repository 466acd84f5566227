using System.Text.RegularExpressions;
using DestinyDsl.EndToEnd.Tests.Infrastructure;

namespace DestinyDsl.EndToEnd.Tests;

/// <summary>What every consumer, however it references DestinyDsl, must see.</summary>
internal static class ConsumerExpectations
{
    /// <summary>The line Program.cs of the Valid consumer prints, derived from its three .dnet files.</summary>
    public static readonly string[] ValidOutput =
    {
        "tiny 0.003 32 3 50 0.25 1",
        "other Consumer.OtherNet 0.5 4 7",
        "meta Consumer.Meta.MetaNet 0.9 6",
    };

    /// <summary>Compiler messages that mean the generator or analyzer was not loaded or crashed.</summary>
    private static readonly string[] LoadFailures = { "CS8785", "CS9057", "AD0001", "CS8032", "DNET0999" };

    public static void BuildsAndRuns(ConsumerProject consumer)
    {
        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, "The valid consumer did not build:\n" + build);
        AssertNoLoadFailures(build);
        // The generated sources are where EmitCompilerGeneratedFiles puts them, one per network.
        var generated = Directory.GetFiles(Path.Combine(consumer.Directory, "obj"), "*.g.cs", SearchOption.AllDirectories)
            .Select(Path.GetFileName).Where(n => n!.Contains("Tiny") || n.Contains("OtherNet") || n.Contains("MetaNet")).Distinct().Order().ToArray();
        Assert.Equal(new[] { "Meta.MetaNet.g.cs", "Other.OtherNet.g.cs", "Tiny.Tiny.g.cs" }, generated);

        var run = consumer.Run();
        Assert.True(run.ExitCode == 0, "The valid consumer did not run:\n" + run);
        Assert.Equal(ValidOutput, run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// A built consumer without DestinyDsl.Gpu: no ILGPU, DestinyDsl.Gpu or DestinyDsl.Runtime.Gpu in its
    /// project.assets.json or output folder, and no generated <c>*.Gpu.g.cs</c>.
    /// </summary>
    public static void HasNoGpuBackend(ConsumerProject consumer)
    {
        var assets = File.ReadAllText(consumer.AssetsFile);
        foreach (var name in new[] { "ILGPU", "DestinyDsl.Gpu", "DestinyDsl.Runtime.Gpu" })
            Assert.False(assets.Contains(name, StringComparison.OrdinalIgnoreCase), $"{consumer.AssetsFile} mentions {name}");
        var gpuFiles = Directory.GetFiles(consumer.OutputDirectory, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName).Where(n => n!.StartsWith("ILGPU", StringComparison.OrdinalIgnoreCase) || n.StartsWith("DestinyDsl.Runtime.Gpu", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        Assert.True(gpuFiles.Length == 0, $"GPU assemblies in {consumer.OutputDirectory}: {string.Join(", ", gpuFiles)}");
        var gpuKernels = consumer.GeneratedFiles().Where(n => n.EndsWith(".Gpu.g.cs", StringComparison.Ordinal)).ToArray();
        Assert.True(gpuKernels.Length == 0, "GPU kernels generated without the GPU package: " + string.Join(", ", gpuKernels));
    }

    public static void FailsAtTheBrokenLines(ConsumerProject consumer)
    {
        var text = File.ReadAllText(Path.Combine(consumer.Directory, "Broken.dnet"));
        var build = consumer.Build();
        Assert.True(build.ExitCode != 0, "The broken consumer built:\n" + build);
        AssertNoLoadFailures(build);

        // Each error is printed once, located at its token, in the compiler's file(line,col) form.
        var expected = new[] { ("rleu", "DNET0100"), ("learning_rat", "DNET0101") };
        foreach (var (token, id) in expected)
        {
            var (line, column) = Position(text, token);
            var pattern = new Regex($@"Broken\.dnet\({line},{column}\): error {id}: [^\r\n]*'{Regex.Escape(token)}'");
            var matches = pattern.Matches(build.Output);
            Assert.True(matches.Count == 1, $"Expected 'Broken.dnet({line},{column}): error {id}: …{token}…' exactly once, found {matches.Count}:\n{build}");
        }
        // No other .dnet error: the two mistakes do not cascade, and the generator reports nothing of its own.
        var dnetErrors = Regex.Matches(build.Output, @"\.dnet\(\d+,\d+\): error DNET\d{4}");
        Assert.True(dnetErrors.Count == expected.Length, $"Expected {expected.Length} .dnet errors, found {dnetErrors.Count}:\n{build}");
    }

    private static void AssertNoLoadFailures(CommandResult build)
    {
        foreach (var id in LoadFailures) Assert.False(build.Output.Contains(id, StringComparison.Ordinal), $"The build reported {id}:\n{build}");
    }

    /// <summary>One-based line and column of the first occurrence of <paramref name="token"/> as a whole word.</summary>
    private static (int Line, int Column) Position(string text, string token)
    {
        var match = Regex.Match(text, $@"\b{Regex.Escape(token)}\b");
        Assert.True(match.Success, $"'{token}' is not in the broken file");
        var before = text.Substring(0, match.Index).Replace("\r\n", "\n");
        var line = before.Count(c => c == '\n') + 1;
        var column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }
}
