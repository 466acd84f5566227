namespace DestinyDsl.Language.Tests;

/// <summary>Finds the repository root by walking up from the test assembly to the folder that holds the solution.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DestinyDsl.sln")))
            directory = directory.Parent;
        Assert.True(directory is not null, "DestinyDsl.sln not found above " + AppContext.BaseDirectory);
        return directory!.FullName;
    }
}
