using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DestinyDsl.Runtime.Checkpoints.Safetensors;

/// <summary>
/// An open, validated safetensors file. <see cref="SafetensorsFile.Open"/> checks everything the format requires
/// before returning; the typed reads then check that the caller asks for the right dtype and element count and
/// read straight into the caller's memory.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    private SafetensorsReader(string path, SafeFileHandle file, long dataStart, SafetensorsHeader header)
    {
        Path = path;
        _file = file;
        _dataStart = dataStart;
        Tensors = header.Tensors;
        Metadata = header.Metadata;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The header's <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor table in data order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>Whether the file has a tensor of this name.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGetTensor(string name, out SafetensorsTensorInfo info) => _byName.TryGetValue(name, out info!);

    /// <summary>The entry of tensor <paramref name="name"/>.</summary>
    /// <exception cref="CheckpointFormatException">The file has no such tensor (the message lists what it has).</exception>
    public SafetensorsTensorInfo GetTensor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.TryGetValue(name, out var info)) return info;
        var known = Tensors.Count == 0 ? "none" : string.Join(", ", Tensors.Take(20).Select(t => $"'{t.Name}'")) + (Tensors.Count > 20 ? $", … ({Tensors.Count} in all)" : "");
        throw new CheckpointFormatException(Path, name, $"no such tensor in the file (it has: {known})");
    }

    /// <summary>Reads an F32 tensor into <paramref name="destination"/> (length = element count).</summary>
    /// <exception cref="CheckpointFormatException">No such tensor, another dtype, or another element count.</exception>
    public void Read(string name, Span<float> destination) => ReadTyped(name, destination, SafetensorsDtype.F32);

    /// <summary>Reads an F64 tensor.</summary>
    public void Read(string name, Span<double> destination) => ReadTyped(name, destination, SafetensorsDtype.F64);

    /// <summary>Reads an F16 tensor.</summary>
    public void Read(string name, Span<Half> destination) => ReadTyped(name, destination, SafetensorsDtype.F16);

    /// <summary>Reads an I64 tensor.</summary>
    public void Read(string name, Span<long> destination) => ReadTyped(name, destination, SafetensorsDtype.I64);

    /// <summary>Reads a U64 tensor.</summary>
    public void Read(string name, Span<ulong> destination) => ReadTyped(name, destination, SafetensorsDtype.U64);

    /// <summary>Reads an I32 tensor.</summary>
    public void Read(string name, Span<int> destination) => ReadTyped(name, destination, SafetensorsDtype.I32);

    /// <summary>Reads a U32 tensor.</summary>
    public void Read(string name, Span<uint> destination) => ReadTyped(name, destination, SafetensorsDtype.U32);

    /// <summary>Reads an I16 tensor.</summary>
    public void Read(string name, Span<short> destination) => ReadTyped(name, destination, SafetensorsDtype.I16);

    /// <summary>Reads a U16 tensor.</summary>
    public void Read(string name, Span<ushort> destination) => ReadTyped(name, destination, SafetensorsDtype.U16);

    /// <summary>Reads an I8 tensor.</summary>
    public void Read(string name, Span<sbyte> destination) => ReadTyped(name, destination, SafetensorsDtype.I8);

    /// <summary>Reads a U8 tensor.</summary>
    public void Read(string name, Span<byte> destination) => ReadTyped(name, destination, SafetensorsDtype.U8);

    /// <summary>Reads a BOOL tensor; every byte must be 0 or 1.</summary>
    public void Read(string name, Span<bool> destination)
    {
        ReadTyped(name, destination, SafetensorsDtype.Bool);
        var bytes = MemoryMarshal.AsBytes(destination);
        var bad = bytes.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
        {
            var value = bytes[bad];
            destination.Clear();            // never hand out bools that are neither true nor false
            throw new CheckpointFormatException(Path, name, $"BOOL element {bad} is byte {value}; booleans must be 0 or 1");
        }
    }

    /// <summary>Reads any tensor's raw little-endian bytes (for BF16 and F8 types); the length must be the byte length.</summary>
    public void ReadBytes(string name, Span<byte> destination)
    {
        var info = GetTensor(name);
        if (destination.Length != info.ByteLength)
        {
            throw new CheckpointFormatException(Path, name, $"{info.Dtype.FileName()} {info.ShapeText} has {info.ByteLength} bytes; the destination holds {destination.Length}");
        }
        ReadAt(name, info.DataBegin, destination);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();

    internal static SafetensorsReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Safetensors data is little-endian; reading it on a big-endian machine is not supported.");
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var length = RandomAccess.GetLength(file);
            if (length < 8) throw new CheckpointFormatException(path, null, $"truncated: the file has {length} bytes, fewer than the 8-byte header length that starts a safetensors file");

            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(file, path, null, 0, prefix);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > SafetensorsFile.MaxHeaderBytes)
            {
                throw new CheckpointFormatException(path, null, $"header length {headerLength} exceeds the format's limit of {SafetensorsFile.MaxHeaderBytes} bytes (not a safetensors file, or corrupt)");
            }
            if ((long)headerLength > length - 8)
            {
                throw new CheckpointFormatException(path, null, $"truncated header: the header length says {headerLength} bytes but only {length - 8} follow");
            }

            // Bounded by the checks above (≤ 100 MB and ≤ the file), so this allocation cannot be forced by a lie.
            var header = new byte[headerLength];
            ReadExactly(file, path, null, 8, header);
            var dataStart = 8 + (long)headerLength;
            var parsed = SafetensorsHeader.Parse(path, header, length - dataStart);
            return new SafetensorsReader(path, file, dataStart, parsed);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private void ReadTyped<T>(string name, Span<T> destination, SafetensorsDtype expected)
        where T : unmanaged
    {
        var info = GetTensor(name);
        if (info.Dtype != expected)
        {
            throw new CheckpointFormatException(Path, name, $"dtype is {info.Dtype.FileName()} (shape {info.ShapeText}), not the {expected.FileName()} asked for");
        }
        if (destination.Length != info.ElementCount)
        {
            throw new CheckpointFormatException(Path, name, $"shape {info.ShapeText} has {info.ElementCount} elements; the destination holds {destination.Length}");
        }

        // A span of bytes cannot exceed int.MaxValue, so very large tensors are read in slices.
        var perSlice = (1 << 30) / Unsafe.SizeOf<T>();
        var offset = info.DataBegin;
        for (var start = 0; start < destination.Length; start += perSlice)
        {
            var slice = MemoryMarshal.AsBytes(destination.Slice(start, Math.Min(perSlice, destination.Length - start)));
            ReadAt(name, offset, slice);
            offset += slice.Length;
        }
    }

    private void ReadAt(string name, long dataOffset, Span<byte> destination) => ReadExactly(_file, Path, name, _dataStart + dataOffset, destination);

    private static void ReadExactly(SafeFileHandle file, string path, string? tensor, long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(file, destination, offset);
            if (read == 0) throw new CheckpointFormatException(path, tensor, $"the file ended at byte {offset} while reading (was it truncated after it was opened?)");
            destination = destination[read..];
            offset += read;
        }
    }
}
