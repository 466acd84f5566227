namespace DestinyDsl.Runtime.Data;

/// <summary>
/// A data file is malformed. The message starts with <c>path:line:column:</c> where a spot on the line is at fault,
/// <c>path:line:</c> for a whole line, or <c>path:</c> when the problem is not on one line (such as an empty file),
/// followed by what is wrong, expected versus found.
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

    /// <summary>Creates the exception for a spot on a line; the message is <c>path:line:column: reason</c> (both one-based, the column in characters).</summary>
    public DataFormatException(string path, long line, long column, string reason, Exception? inner = null)
        : base($"{path}:{line}:{column}: {reason}", inner)
    {
        Path = path;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The file that is malformed.</summary>
    public string Path { get; }

    /// <summary>One-based line number of the problem, or null when it concerns the whole file.</summary>
    public long? Line { get; }

    /// <summary>One-based character column of the problem on its line, or null when the whole line is at fault.</summary>
    public long? Column { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Reason { get; }
}
