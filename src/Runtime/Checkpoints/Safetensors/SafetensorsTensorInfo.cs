namespace DestinyDsl.Runtime.Checkpoints.Safetensors;

/// <summary>One entry of a safetensors header: a tensor's name, type, shape and where its bytes are.</summary>
/// <param name="DataBegin">Offset of the first byte, relative to the start of the data section.</param>
/// <param name="DataEnd">Offset one past the last byte.</param>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDtype Dtype, IReadOnlyList<long> Shape, long DataBegin, long DataEnd)
{
    /// <summary>Number of elements (product of the shape; 1 for a scalar of shape []).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var d in Shape) count *= d;
            return count;
        }
    }

    /// <summary>Bytes of data.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>The shape as the header writes it, e.g. "[1024, 3706]".</summary>
    public string ShapeText => FormatShape(Shape);

    internal static string FormatShape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
