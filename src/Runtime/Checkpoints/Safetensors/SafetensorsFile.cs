namespace DestinyDsl.Runtime.Checkpoints.Safetensors;

/// <summary>
/// The safetensors file format (what PyTorch's <c>safetensors</c> library reads and writes): an 8-byte
/// little-endian header length N, N bytes of UTF-8 JSON
/// <c>{"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …}</c>,
/// then the tensors' little-endian row-major bytes, packed contiguously (offsets relative to the data section).
/// This layer knows the format only; which tensors a checkpoint holds is decided above it.
/// </summary>
/// <remarks>
/// Named <c>SafetensorsFile</c> rather than <c>Safetensors</c>: a class named like its namespace would be hidden
/// by the namespace for code in <c>DestinyDsl.Runtime.Checkpoints</c>.
/// </remarks>
public static class SafetensorsFile
{
    /// <summary>The reserved header key of the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Writes <paramref name="tensors"/> and <paramref name="metadata"/> atomically: a temporary file in the same
    /// directory, flushed to disk, then renamed over <paramref name="path"/>. The file is laid out exactly as the
    /// reference writer does (tensors sorted by dtype alignment, largest first, then by name; compact JSON; header padded with spaces to a multiple of 8), so equal inputs give identical bytes.
    /// </summary>
    /// <exception cref="ArgumentException">Duplicate tensor names, or a null metadata key or value.</exception>
    public static void Write(string path, IReadOnlyList<TensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null)
        => SafetensorsWriter.Write(path, tensors, metadata);

    /// <summary>
    /// Opens and fully validates a file before any tensor is read: length, header size, JSON, every entry's dtype,
    /// shape and offsets, and that the tensors tile the data section exactly.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is not a valid safetensors file; the message says why.</exception>
    public static SafetensorsReader Open(string path) => SafetensorsReader.Open(path);
}
