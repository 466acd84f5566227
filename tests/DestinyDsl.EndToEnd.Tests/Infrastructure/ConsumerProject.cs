namespace DestinyDsl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A consumer project in a temporary folder: a console app that references DestinyDsl (and, for the GPU consumer,
/// DestinyDsl.Gpu) either as packages from the test feed (its own nuget.config: that feed plus the machine's usual
/// sources, packages restored into a private folder) or through the in-repo props, with the given .dnet files and
/// Program.cs.
/// </summary>
internal sealed class ConsumerProject : IDisposable
{
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    private readonly bool _privatePackages;

    private ConsumerProject(string directory, bool privatePackages)
    {
        Directory = directory;
        _privatePackages = privatePackages;
    }

    public string Directory { get; }

    public string ProjectFile => Path.Combine(Directory, "Consumer.csproj");

    /// <summary>Where <c>dotnet build -c Release</c> puts the consumer's program and the assemblies it runs with.</summary>
    public string OutputDirectory => Path.Combine(Directory, "bin", "Release", "net10.0");

    /// <summary>NuGet's record of what the consumer's restore resolved, packages and transitive ones.</summary>
    public string AssetsFile => Path.Combine(Directory, "obj", "project.assets.json");

    /// <summary>The files the generator wrote (<c>EmitCompilerGeneratedFiles</c>), by file name.</summary>
    public string[] GeneratedFiles() =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, "obj"), "*.g.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetFileName(f)!).Distinct().Order().ToArray();

    /// <summary>
    /// A consumer of the feed's packages: one PackageReference per id in <paramref name="packageIds"/>, all at the
    /// feed's version (DestinyDsl alone when none are named).
    /// </summary>
    public static ConsumerProject FromPackage(PackageFeed feed, string template, params string[] packageIds)
    {
        if (packageIds.Length == 0) packageIds = ["DestinyDsl"];
        var project = Create(template, privatePackages: true);
        var references = string.Join("\n", packageIds.Select(id => $"""    <PackageReference Include="{id}" Version="{feed.Version}" />"""));
        project.WriteProject($"""
              <ItemGroup>
            {references}
              </ItemGroup>
            """);
        File.WriteAllText(Path.Combine(project.Directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="destinydsl-test-feed" value="{feed.Folder}" />
              </packageSources>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(project.Directory, ".packages")}" />
              </config>
            </configuration>
            """);
        return project;
    }

    public static ConsumerProject InRepo(string template)
    {
        // No private package folder here: it would be a global property of the repository's own projects too and
        // re-point their restore at a temporary folder.
        var project = Create(template, privatePackages: false);
        project.WriteProject($"""
              <Import Project="{Repository.InRepoProps}" />
            """);
        return project;
    }

    /// <summary>
    /// <c>dotnet build</c>; the result's output is the build log written without the closing summary (the console
    /// repeats every error there, whatever -clp says), so each diagnostic appears once per time it was reported.
    /// </summary>
    public CommandResult Build(params string[] extra)
    {
        var log = Path.Combine(Directory, "build.log");
        var arguments = new List<string> { "build", ProjectFile, "-c", "Release", "-tl:off", "-nologo", $"-flp:logfile={log};NoSummary;Verbosity=normal" };
        if (_privatePackages) arguments.Add("-p:RestorePackagesPath=" + Path.Combine(Directory, ".packages"));
        var console = DotNet.Run(Directory, BuildTimeout, arguments.Concat(extra).ToArray());
        return console with { Output = File.Exists(log) ? File.ReadAllText(log) : console.Output };
    }

    public CommandResult Run() =>
        DotNet.Run(Directory, BuildTimeout, "run", "--project", ProjectFile, "-c", "Release", "--no-build");

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }

    private static ConsumerProject Create(string template, bool privatePackages)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("dnet-consumer-").FullName;
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Repository.Consumers, template), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(directory, Path.GetRelativePath(Path.Combine(Repository.Consumers, template), file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        // Keep the temp project out of any Directory.Build.props of the folders above it.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />");
        return new ConsumerProject(directory, privatePackages);
    }

    private void WriteProject(string reference) => File.WriteAllText(ProjectFile, $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <RootNamespace>Consumer</RootNamespace>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <InvariantGlobalization>true</InvariantGlobalization>
            <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
          </PropertyGroup>
        {reference}
          <ItemGroup>
            <!-- Per-file namespace for a file without a namespace line. `Update` must come after the props that add
                 the .dnet items: NuGet imports the package's before the project body; the in-repo props is imported above. -->
            <AdditionalFiles Update="Meta.dnet" DnetNamespace="Consumer.Meta" />
          </ItemGroup>
        </Project>
        """);
}
