using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using DestinyDsl.EndToEnd.Tests.Infrastructure;

namespace DestinyDsl.EndToEnd.Tests;

/// <summary>
/// The DestinyDsl.Gpu NuGet package (the GPU backend, apart so that CPU-only users take no ILGPU dependency), packed
/// from this repository next to DestinyDsl and consumed with one more PackageReference.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class GpuPackageConsumerTests
{
    /// <summary>Steps the Gpu consumer trains: 8 rows, batch 4, 2 epochs (Consumers/Gpu).</summary>
    private const int Steps = 4;

    private readonly PackageFeed _feed;

    public GpuPackageConsumerTests(PackageFeed feed) => _feed = feed;

    [Fact]
    public void GpuPackageHoldsTheGpuRuntimeAndDependsOnDestinyDslAndIlgpu()
    {
        _feed.EnsureGpuPacked();
        using var zip = ZipFile.OpenRead(_feed.GpuPackagePath);
        var entries = zip.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml").Order().ToArray();
        Assert.Equal(new[]
        {
            "DestinyDsl.Gpu.nuspec",
            "lib/net10.0/DestinyDsl.Runtime.Gpu.dll",
            "lib/net10.0/DestinyDsl.Runtime.Gpu.xml",
        }.Order().ToArray(), entries);

        // DestinyDsl at the same version, and the GPU runtime's two packages at the versions its project uses; nothing
        // else (in particular no "DestinyDsl.Runtime", which is not a package).
        using var nuspecStream = zip.GetEntry("DestinyDsl.Gpu.nuspec")!.Open();
        var nuspec = XDocument.Load(nuspecStream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("DestinyDsl.Gpu", metadata.Element(ns + "id")!.Value);
        Assert.Equal(_feed.Version, metadata.Element(ns + "version")!.Value);
        Assert.Null(metadata.Element(ns + "developmentDependency"));
        var dependencies = metadata.Descendants(ns + "dependency").ToArray();
        var gpuProject = XDocument.Load(Repository.GpuRuntimeProject);
        string Version(string id) => gpuProject.Descendants("PackageReference").Single(p => p.Attribute("Include")!.Value == id).Attribute("Version")!.Value;
        Assert.Equal(
            new[] { "DestinyDsl " + _feed.Version, "ILGPU " + Version("ILGPU"), "ILGPU.Algorithms " + Version("ILGPU.Algorithms") },
            dependencies.Select(d => $"{d.Attribute("id")!.Value} {d.Attribute("version")!.Value}").Order().ToArray());
        // DestinyDsl's analyzers and props are not excluded, so DestinyDsl.Gpu alone would bring the generator too.
        var destinyDsl = dependencies.Single(d => d.Attribute("id")!.Value == "DestinyDsl");
        var excluded = destinyDsl.Attribute("exclude")?.Value ?? "";
        Assert.False(excluded.Contains("Analyzers", StringComparison.OrdinalIgnoreCase) || excluded.Contains("Build", StringComparison.OrdinalIgnoreCase),
            "The DestinyDsl dependency excludes " + excluded);
    }

    /// <summary>
    /// The documented form (DestinyDsl and DestinyDsl.Gpu) and DestinyDsl.Gpu alone (DestinyDsl, generator included,
    /// through the dependency) both build with the network's GPU kernels and train on one simulated GPU.
    /// </summary>
    [Theory]
    [InlineData("DestinyDsl DestinyDsl.Gpu")]
    [InlineData("DestinyDsl.Gpu")]
    public void GpuConsumerGetsTheKernelsAndTrainsOnTheSimulator(string packages)
    {
        _feed.EnsureGpuPacked();
        using var consumer = ConsumerProject.FromPackage(_feed, "Gpu", packages.Split(' '));
        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, "The GPU consumer did not build:\n" + build);
        foreach (var id in new[] { "CS8785", "CS9057", "AD0001", "CS8032", "DNET0999" })
            Assert.False(build.Output.Contains(id, StringComparison.Ordinal), $"The build reported {id}:\n{build}");

        // Referencing the package is enough for the generator to emit the network's GPU kernels next to its class.
        var generated = consumer.GeneratedFiles().Where(n => n.StartsWith("Small.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[] { "Small.Small.g.cs", "Small.Small.Gpu.g.cs" }, generated);
        foreach (var assembly in new[] { "DestinyDsl.Runtime.dll", "DestinyDsl.Runtime.Gpu.dll", "ILGPU.dll", "ILGPU.Algorithms.dll" })
            Assert.True(File.Exists(Path.Combine(consumer.OutputDirectory, assembly)), $"No {assembly} in {consumer.OutputDirectory}");

        var run = consumer.Run();
        Assert.True(run.ExitCode == 0, "The GPU consumer did not run:\n" + run);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.FirstOrDefault() == "devices gpu-sim", "Expected 'devices gpu-sim' first:\n" + run);
        var losses = lines.Where(l => l.StartsWith("step ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToArray();
        Assert.True(losses.Length == Steps, $"Expected {Steps} steps:\n{run}");
        for (var i = 0; i < losses.Length; i++)
        {
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), losses[i][1]);
            var loss = double.Parse(losses[i][3], CultureInfo.InvariantCulture);
            Assert.True(double.IsFinite(loss) && loss > 0, $"Step {i + 1} loss {loss}:\n{run}");
        }
        Assert.Equal("steps " + Steps.ToString(CultureInfo.InvariantCulture), lines.Last());
    }
}
