namespace DestinyDsl.Runtime.Tests.Data;

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"destinydsl-tests-{Guid.NewGuid():N}");

    /// <summary>Writes <paramref name="content"/> (exact bytes of the UTF-8 text, no BOM) to a file and returns its path.</summary>
    public string File(string name, string content) => Bytes(name, new System.Text.UTF8Encoding(false).GetBytes(content));

    public string Bytes(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leaked temp folder is not worth failing a test over.
        }
    }
}
