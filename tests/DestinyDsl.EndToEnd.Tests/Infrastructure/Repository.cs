namespace DestinyDsl.EndToEnd.Tests.Infrastructure;

/// <summary>Paths of the repository the tests run from.</summary>
internal static class Repository
{
    /// <summary>The folder holding DestinyDsl.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string PackageProject => Path.Combine(Root, "src", "SourceGenerator", "Package", "DestinyDsl.Package.csproj");

    public static string GpuPackageProject => Path.Combine(Root, "src", "SourceGenerator", "Package", "DestinyDsl.Gpu.Package.csproj");

    public static string InRepoProps => Path.Combine(Root, "src", "SourceGenerator", "DestinyDsl.InRepo.props");

    public static string RuntimeProject => Path.Combine(Root, "src", "Runtime", "DestinyDsl.Runtime.csproj");

    public static string GpuRuntimeProject => Path.Combine(Root, "src", "Runtime", "Gpu", "DestinyDsl.Runtime.Gpu.csproj");

    /// <summary>The consumer templates copied next to the test binaries.</summary>
    public static string Consumers => Path.Combine(AppContext.BaseDirectory, "Consumers");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DestinyDsl.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No DestinyDsl.sln above {AppContext.BaseDirectory}.");
    }
}
