namespace DestinyDsl.Runtime.Checkpoints.Safetensors;

/// <summary>
/// A checkpoint file is not a valid safetensors file, or does not hold what was asked of it. The message names the
/// file, the tensor when one is concerned, and what is wrong (expected versus found).
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception; the message is <c>path: [tensor 'name': ]reason</c>.</summary>
    public CheckpointFormatException(string path, string? tensor, string reason, Exception? inner = null)
        : base(tensor is null ? $"{path}: {reason}" : $"{path}: tensor '{tensor}': {reason}", inner)
    {
        Path = path;
        Tensor = tensor;
        Reason = reason;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The tensor concerned, or null when the problem is with the file as a whole.</summary>
    public string? Tensor { get; }

    /// <summary>What is wrong, without the file and tensor prefix.</summary>
    public string Reason { get; }
}
