namespace DestinyDsl.Runtime.Data.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one, never a torn file: the
/// content goes to a temporary file in the same directory (same file system, so the rename is atomic), is flushed
/// to disk, and is then renamed over the target.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<FileStream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            // The target is untouched; only the partial temporary file has to go.
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // Best effort: the original exception is the one that matters and is rethrown by the caller.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
