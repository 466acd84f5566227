using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DestinyDsl.Runtime.Data.IO;

namespace DestinyDsl.Runtime.Checkpoints.Safetensors;

/// <summary>
/// Lays out and writes a safetensors file the way the reference implementation does: tensors sorted by dtype
/// alignment (largest first) then by name, packed contiguously; compact JSON header with <c>__metadata__</c> first;
/// header padded with spaces to a multiple of 8 so the data section, and every tensor in it, is aligned.
/// </summary>
internal static class SafetensorsWriter
{
    private const int HeaderAlignment = 8;

    public static void Write(string path, IReadOnlyList<TensorData> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Safetensors data is little-endian; writing it on a big-endian machine is not supported.");

        var ordered = Order(tensors);
        CheckMetadata(metadata);
        var header = Header(ordered, metadata);

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var tensor in ordered) tensor.WriteTo(stream);
        });
    }

    /// <summary>The header bytes (JSON plus padding) for these tensors, in file order.</summary>
    internal static byte[] Header(IReadOnlyList<TensorData> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsFile.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in ordered)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.Dtype.FileName());
                json.WriteStartArray("shape");
                foreach (var d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + tensor.ByteLength);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += tensor.ByteLength;
            }
            json.WriteEndObject();
        }

        var padding = (HeaderAlignment - (buffer.WrittenCount % HeaderAlignment)) % HeaderAlignment;
        var header = new byte[buffer.WrittenCount + padding];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        if (header.Length > SafetensorsFile.MaxHeaderBytes) throw new ArgumentException($"The header would be {header.Length} bytes, over the format's {SafetensorsFile.MaxHeaderBytes}-byte limit (too many tensors or too much metadata).");
        return header;
    }

    /// <summary>Reference order: descending dtype alignment, then name by UTF-8 bytes (Rust's string order).</summary>
    internal static List<TensorData> Order(IReadOnlyList<TensorData> tensors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tensors.Count; i++)
        {
            var tensor = tensors[i] ?? throw new ArgumentException($"Tensor {i} is null.", nameof(tensors));
            if (!names.Add(tensor.Name)) throw new ArgumentException($"Two tensors are named '{tensor.Name}'; names must be unique.", nameof(tensors));
        }
        var ordered = tensors.ToList();
        ordered.Sort((a, b) =>
        {
            var byDtype = b.Dtype.CompareTo(a.Dtype);
            return byDtype != 0 ? byDtype : Encoding.UTF8.GetBytes(a.Name).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b.Name));
        });
        return ordered;
    }

    private static void CheckMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null) return;
        foreach (var (key, value) in metadata)
        {
            if (key is null) throw new ArgumentException("A metadata key is null.", nameof(metadata));
            if (value is null) throw new ArgumentException($"Metadata '{key}' has a null value; values must be strings.", nameof(metadata));
        }
    }
}
