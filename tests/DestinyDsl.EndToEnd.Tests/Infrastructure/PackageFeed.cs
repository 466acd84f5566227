namespace DestinyDsl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The DestinyDsl package packed once per test run into a temporary folder feed (shared by the tests of the
/// end-to-end collection, deleted at the end), and the DestinyDsl.Gpu package, at the same version, packed into the
/// same feed when a test first asks for it.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    public PackageFeed()
    {
        Folder = Directory.CreateTempSubdirectory("dnet-feed-").FullName;
        // A prerelease version of its own: no cache anywhere can hold a stale copy of it.
        Version = "0.1.0-e2e" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        PackResult = DotNet.Run(Repository.Root, Timeout, "pack", Repository.PackageProject, "-c", "Release", "-o", Folder, "-p:PackageVersion=" + Version, "-tl:off", "-nologo");
        PackagePath = Path.Combine(Folder, $"DestinyDsl.{Version}.nupkg");
        GpuPackagePath = Path.Combine(Folder, $"DestinyDsl.Gpu.{Version}.nupkg");
        _gpuPack = new Lazy<CommandResult>(() =>
            DotNet.Run(Repository.Root, Timeout, "pack", Repository.GpuPackageProject, "-c", "Release", "-o", Folder, "-p:PackageVersion=" + Version, "-tl:off", "-nologo"));
    }

    private readonly Lazy<CommandResult> _gpuPack;

    public string Folder { get; }
    public string Version { get; }
    public string PackagePath { get; }
    public CommandResult PackResult { get; }
    public string GpuPackagePath { get; }

    /// <summary>Fails the calling test with the whole pack log unless the package was produced.</summary>
    public void EnsurePacked() =>
        Assert.True(PackResult.ExitCode == 0 && File.Exists(PackagePath), "dotnet pack failed:\n" + PackResult);

    /// <summary>Packs DestinyDsl.Gpu on first use (DestinyDsl is already in the feed); fails with the pack log unless produced.</summary>
    public void EnsureGpuPacked()
    {
        EnsurePacked();
        var result = _gpuPack.Value;
        Assert.True(result.ExitCode == 0 && File.Exists(GpuPackagePath), "dotnet pack of DestinyDsl.Gpu failed:\n" + result);
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }
}

/// <summary>The end-to-end tests share one feed and run one after another (they build the same projects).</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "EndToEnd";
}
