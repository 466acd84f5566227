using System.IO.Compression;
using System.Xml.Linq;
using DestinyDsl.EndToEnd.Tests.Infrastructure;

namespace DestinyDsl.EndToEnd.Tests;

/// <summary>The DestinyDsl NuGet package, packed from this repository and consumed with one PackageReference.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PackageConsumerTests
{
    private readonly PackageFeed _feed;

    public PackageConsumerTests(PackageFeed feed) => _feed = feed;

    [Fact]
    public void PackageHoldsGeneratorAnalyzerLanguagePropsAndRuntime()
    {
        _feed.EnsurePacked();
        using var zip = ZipFile.OpenRead(_feed.PackagePath);
        var entries = zip.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml").Order().ToArray();
        Assert.Equal(new[]
        {
            "analyzers/dotnet/cs/DestinyDsl.Analyzers.dll",
            "analyzers/dotnet/cs/DestinyDsl.Language.dll",
            "analyzers/dotnet/cs/DestinyDsl.SourceGenerator.dll",
            "build/DestinyDsl.props",
            "buildTransitive/DestinyDsl.props",
            "DestinyDsl.nuspec",
            "docs/diagnostics.md",
            "lib/net10.0/DestinyDsl.Runtime.dll",
            "lib/net10.0/DestinyDsl.Runtime.xml",
        }.Order().ToArray(), entries);

        // One dependency, the runtime's, at the version the runtime project uses; not a development dependency.
        using var nuspecStream = zip.GetEntry("DestinyDsl.nuspec")!.Open();
        var nuspec = XDocument.Load(nuspecStream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Null(metadata.Element(ns + "developmentDependency"));
        var dependencies = metadata.Descendants(ns + "dependency").Select(d => $"{d.Attribute("id")!.Value} {d.Attribute("version")!.Value}").ToArray();
        var runtimeVersion = XDocument.Load(Repository.RuntimeProject).Descendants("PackageReference")
            .Single(p => p.Attribute("Include")!.Value == "System.Numerics.Tensors").Attribute("Version")!.Value;
        Assert.Equal(new[] { "System.Numerics.Tensors " + runtimeVersion }, dependencies);
    }

    [Fact]
    public void ValidNetworksBuildAndTheGeneratedClassesAreUsable()
    {
        _feed.EnsurePacked();
        using var consumer = ConsumerProject.FromPackage(_feed, "Valid");
        ConsumerExpectations.BuildsAndRuns(consumer);

        // DestinyDsl alone brings no GPU backend: nothing of ILGPU or DestinyDsl.Gpu in the restore or the output, and
        // no GPU kernels generated (the consumer does not reference DestinyDsl.Runtime.Gpu).
        ConsumerExpectations.HasNoGpuBackend(consumer);
        Assert.True(File.Exists(Path.Combine(consumer.OutputDirectory, "DestinyDsl.Runtime.dll")), "No DestinyDsl.Runtime.dll in " + consumer.OutputDirectory);

        // The diagnostics' help links point at the reference inside the package: a file that exists, not a made-up address.
        var property = DotNet.Run(consumer.Directory, ConsumerProject.BuildTimeout, "msbuild", consumer.ProjectFile, "-getProperty:DestinyDslDiagnosticsHelpUrl", "-p:RestorePackagesPath=" + Path.Combine(consumer.Directory, ".packages"));
        var url = property.Output.Trim();
        Assert.StartsWith("file:///", url, StringComparison.Ordinal);
        Assert.True(File.Exists(new Uri(url).LocalPath), $"help links point at {url}, which does not exist\n{property}");
    }

    [Fact]
    public void BrokenNetworkFailsTheBuildWithEachErrorOnceAtItsPlace()
    {
        _feed.EnsurePacked();
        using var consumer = ConsumerProject.FromPackage(_feed, "Broken");
        ConsumerExpectations.FailsAtTheBrokenLines(consumer);
    }
}
