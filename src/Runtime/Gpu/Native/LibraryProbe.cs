namespace DestinyDsl.Runtime.Gpu.Native;

/// <summary>One attempt to load a native library file, for error messages and logs.</summary>
/// <param name="Library">The library the file would provide.</param>
/// <param name="File">The file name tried (as passed to the system loader).</param>
/// <param name="Loaded">Whether it loaded.</param>
public sealed record LibraryProbe(CudaLibrary Library, string File, bool Loaded)
{
    /// <summary>"loaded" or "not found".</summary>
    public string Outcome => Loaded ? "loaded" : "not found";

    /// <summary>"file (outcome)", as the messages list it.</summary>
    public override string ToString() => $"{File} ({Outcome})";
}
