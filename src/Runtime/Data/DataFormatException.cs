namespace DestinyDsl.Runtime.Data;

/// <summary>
/// A data file is malformed. The message starts with <c>path:line:</c> (or <c>path:</c> when the problem is not on
/// one line, such as an empty file) followed by what is wrong, expected versus found.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception; the message is <c>path:line: reason</c>.</summary>
    public DataFormatException(string path, long? line, string reason, Exception? inner = null)
        : base(line is { } l ? $"{path}:{l}: {reason}" : $"{path}: {reason}", inner)
    {
        Path = path;
        Line = line;
        Reason = reason;
    }

    /// <summary>The file that is malformed.</summary>
    public string Path { get; }

    /// <summary>One-based line number of the problem, or null when it concerns the whole file.</summary>
    public long? Line { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Reason { get; }
}
