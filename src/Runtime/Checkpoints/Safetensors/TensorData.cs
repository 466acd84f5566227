using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DestinyDsl.Runtime.Checkpoints.Safetensors;

/// <summary>
/// A tensor to write: name, dtype, shape and its elements in row-major order. The data is referenced, not copied,
/// so it must not change until the file is written. Create one with the typed factories (<see cref="F32"/>, …).
/// </summary>
public sealed class TensorData
{
    private readonly Payload _payload;
    private readonly long[] _shape;

    private TensorData(string name, SafetensorsDtype dtype, ReadOnlySpan<long> shape, Payload payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == SafetensorsFile.MetadataKey) throw new ArgumentException($"'{SafetensorsFile.MetadataKey}' is reserved for the header's metadata and cannot name a tensor.", nameof(name));
        _shape = shape.ToArray();
        var elements = ElementCount(name, _shape);
        var expected = elements > long.MaxValue / dtype.Size()
            ? throw new ArgumentException($"Tensor '{name}': shape {SafetensorsTensorInfo.FormatShape(_shape)} of {dtype.FileName()} is too large.", nameof(shape))
            : elements * dtype.Size();
        if (payload.ByteLength != expected)
        {
            throw new ArgumentException($"Tensor '{name}': shape {SafetensorsTensorInfo.FormatShape(_shape)} of {dtype.FileName()} needs {expected} bytes ({elements} elements) but the data has {payload.ByteLength} bytes.", nameof(shape));
        }
        Name = name;
        Dtype = dtype;
        _payload = payload;
    }

    /// <summary>Tensor name (unique within a file).</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public SafetensorsDtype Dtype { get; }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Bytes of data.</summary>
    public long ByteLength => _payload.ByteLength;

    /// <summary>A float32 tensor.</summary>
    public static TensorData F32(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<float> data) => new(name, SafetensorsDtype.F32, shape, new Payload<float>(data));

    /// <summary>A float64 tensor.</summary>
    public static TensorData F64(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<double> data) => new(name, SafetensorsDtype.F64, shape, new Payload<double>(data));

    /// <summary>A float16 tensor.</summary>
    public static TensorData F16(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<Half> data) => new(name, SafetensorsDtype.F16, shape, new Payload<Half>(data));

    /// <summary>An int64 tensor.</summary>
    public static TensorData I64(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<long> data) => new(name, SafetensorsDtype.I64, shape, new Payload<long>(data));

    /// <summary>A uint64 tensor.</summary>
    public static TensorData U64(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<ulong> data) => new(name, SafetensorsDtype.U64, shape, new Payload<ulong>(data));

    /// <summary>An int32 tensor.</summary>
    public static TensorData I32(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<int> data) => new(name, SafetensorsDtype.I32, shape, new Payload<int>(data));

    /// <summary>A uint32 tensor.</summary>
    public static TensorData U32(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<uint> data) => new(name, SafetensorsDtype.U32, shape, new Payload<uint>(data));

    /// <summary>An int16 tensor.</summary>
    public static TensorData I16(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<short> data) => new(name, SafetensorsDtype.I16, shape, new Payload<short>(data));

    /// <summary>A uint16 tensor.</summary>
    public static TensorData U16(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<ushort> data) => new(name, SafetensorsDtype.U16, shape, new Payload<ushort>(data));

    /// <summary>An int8 tensor.</summary>
    public static TensorData I8(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<sbyte> data) => new(name, SafetensorsDtype.I8, shape, new Payload<sbyte>(data));

    /// <summary>A uint8 tensor.</summary>
    public static TensorData U8(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<byte> data) => new(name, SafetensorsDtype.U8, shape, new Payload<byte>(data));

    /// <summary>A boolean tensor (one byte per element, 0 or 1).</summary>
    public static TensorData Bool(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<bool> data) => new(name, SafetensorsDtype.Bool, shape, new Payload<bool>(data));

    /// <summary>Any dtype from its little-endian bytes (for BF16 and F8 types, which .NET has no type for).</summary>
    public static TensorData FromBytes(string name, SafetensorsDtype dtype, ReadOnlySpan<long> shape, ReadOnlyMemory<byte> data) => new(name, dtype, shape, new Payload<byte>(data));

    /// <summary>Writes the data as little-endian bytes.</summary>
    internal void WriteTo(Stream stream) => _payload.WriteTo(stream);

    private static long ElementCount(string name, long[] shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}': shape {SafetensorsTensorInfo.FormatShape(shape)} has a negative dimension.", nameof(shape));
            if (d != 0 && count > long.MaxValue / d) throw new ArgumentException($"Tensor '{name}': shape {SafetensorsTensorInfo.FormatShape(shape)} overflows a 64-bit element count.", nameof(shape));
            count *= d;
        }
        return count;
    }

    /// <summary>Typed data written as bytes without copying.</summary>
    private abstract class Payload
    {
        public abstract long ByteLength { get; }

        public abstract void WriteTo(Stream stream);
    }

    private sealed class Payload<T>(ReadOnlyMemory<T> data) : Payload
        where T : unmanaged
    {
        // Slices of at most 2^30 bytes: a span of bytes cannot be longer than int.MaxValue.
        private static readonly int ElementsPerSlice = (1 << 30) / Unsafe.SizeOf<T>();

        public override long ByteLength => (long)data.Length * Unsafe.SizeOf<T>();

        public override void WriteTo(Stream stream)
        {
            for (var start = 0; start < data.Length; start += ElementsPerSlice)
            {
                var slice = data.Span.Slice(start, Math.Min(ElementsPerSlice, data.Length - start));
                stream.Write(MemoryMarshal.AsBytes(slice));
            }
        }
    }
}
