using System.Buffers.Binary;
using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Benchmarks.HeadToHead;

/// <summary>
/// The one data file both sides of the benchmark read: "DDCSR001", int32 rows, int32 columns, int64 non-zeros,
/// int64 row offsets[rows + 1], int32 column indices[non-zeros], all little-endian (numpy reads it directly).
/// </summary>
internal static class CsrFile
{
    private static ReadOnlySpan<byte> Magic => "DDCSR001"u8;

    public static void Write(string path, SparseMatrix matrix)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(Magic);
        writer.Write(matrix.Rows);
        writer.Write(matrix.Columns);
        writer.Write(matrix.NonZeroCount);
        foreach (var offset in matrix.RowOffsets) writer.Write(offset);
        foreach (var index in matrix.ColumnIndices) writer.Write(index);
    }

    public static SparseMatrix Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 24 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a DDCSR001 file.");
        var rows = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        var columns = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        var nonZeros = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16));
        var expected = 24 + ((rows + 1L) * 8) + (nonZeros * 4);
        if (rows < 0 || columns <= 0 || nonZeros < 0 || bytes.LongLength != expected)
            throw new InvalidDataException($"{path}: header says {rows}×{columns} with {nonZeros} non-zeros ({expected} bytes) but the file has {bytes.LongLength} bytes.");
        var offsets = new long[rows + 1];
        var indices = new int[nonZeros];
        var at = 24;
        for (var i = 0; i < offsets.Length; i++, at += 8) offsets[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at));
        for (var i = 0; i < indices.Length; i++, at += 4) indices[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        return new SparseMatrix(rows, columns, offsets, indices);
    }
}
