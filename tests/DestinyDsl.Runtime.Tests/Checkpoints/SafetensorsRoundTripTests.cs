using DestinyDsl.Runtime.Checkpoints.Safetensors;
using DestinyDsl.Runtime.Tests.Data;

namespace DestinyDsl.Runtime.Tests.Checkpoints;

public sealed class SafetensorsRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EveryDtypeRoundTripsBitForBit()
    {
        float[] f32 = [1.5f, -0f, float.NaN, float.PositiveInfinity, float.Epsilon, -3e38f];
        double[] f64 = [Math.PI, double.NegativeInfinity, -0.0, double.Epsilon];
        Half[] f16 = [(Half)1.5f, Half.NegativeInfinity, Half.Epsilon, (Half)(-65504f)];
        long[] i64 = [long.MinValue, -1, 0, long.MaxValue];
        ulong[] u64 = [0, ulong.MaxValue, 1UL << 63];
        int[] i32 = [int.MinValue, -7, int.MaxValue];
        uint[] u32 = [uint.MaxValue, 0, 12345];
        short[] i16 = [short.MinValue, short.MaxValue];
        ushort[] u16 = [ushort.MaxValue, 1];
        sbyte[] i8 = [sbyte.MinValue, -1, sbyte.MaxValue];
        byte[] u8 = [0, 255, 128, 7];
        bool[] flags = [true, false, true];
        byte[] bf16 = [0x80, 0x3F, 0x00, 0xC0];                     // 1.0, −2.0 in bfloat16
        byte[] f8 = [0x3C, 0xBC];
        var path = _dir.Combine("all.safetensors");
        SafetensorsFile.Write(path,
        [
            TensorData.F32("f32", [2, 3], f32), TensorData.F64("f64", [4], f64), TensorData.F16("f16", [2, 2], f16),
            TensorData.I64("i64", [4], i64), TensorData.U64("u64", [3], u64), TensorData.I32("i32", [3], i32),
            TensorData.U32("u32", [3, 1], u32), TensorData.I16("i16", [2], i16), TensorData.U16("u16", [2], u16),
            TensorData.I8("i8", [3], i8), TensorData.U8("u8", [4], u8), TensorData.Bool("flags", [3], flags),
            TensorData.FromBytes("bf16", SafetensorsDtype.BF16, [2], bf16), TensorData.FromBytes("f8", SafetensorsDtype.F8E4M3, [2], f8),
        ], new Dictionary<string, string> { ["step"] = "1200", ["note"] = "ünïcode \"quoted\" <ok>" });

        using var reader = SafetensorsFile.Open(path);
        Assert.Equal("1200", reader.Metadata["step"]);
        Assert.Equal("ünïcode \"quoted\" <ok>", reader.Metadata["note"]);
        Assert.Equal(14, reader.Tensors.Count);
        Assert.Equal([2L, 3], reader.GetTensor("f32").Shape);
        Assert.Equal(SafetensorsDtype.U32, reader.GetTensor("u32").Dtype);

        Assert.Equal(f32.Select(BitConverter.SingleToInt32Bits), Read<float>(reader, "f32", (r, n, s) => r.Read(n, s)).Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(f64.Select(BitConverter.DoubleToInt64Bits), Read<double>(reader, "f64", (r, n, s) => r.Read(n, s)).Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(f16, Read<Half>(reader, "f16", (r, n, s) => r.Read(n, s)));
        Assert.Equal(i64, Read<long>(reader, "i64", (r, n, s) => r.Read(n, s)));
        Assert.Equal(u64, Read<ulong>(reader, "u64", (r, n, s) => r.Read(n, s)));
        Assert.Equal(i32, Read<int>(reader, "i32", (r, n, s) => r.Read(n, s)));
        Assert.Equal(u32, Read<uint>(reader, "u32", (r, n, s) => r.Read(n, s)));
        Assert.Equal(i16, Read<short>(reader, "i16", (r, n, s) => r.Read(n, s)));
        Assert.Equal(u16, Read<ushort>(reader, "u16", (r, n, s) => r.Read(n, s)));
        Assert.Equal(i8, Read<sbyte>(reader, "i8", (r, n, s) => r.Read(n, s)));
        Assert.Equal(u8, Read<byte>(reader, "u8", (r, n, s) => r.Read(n, s)));
        Assert.Equal(flags, Read<bool>(reader, "flags", (r, n, s) => r.Read(n, s)));
        Assert.Equal(bf16, Read<byte>(reader, "bf16", (r, n, s) => r.ReadBytes(n, s)));
        Assert.Equal(f8, Read<byte>(reader, "f8", (r, n, s) => r.ReadBytes(n, s)));
    }

    [Fact]
    public void DataSectionAndEveryTensorAreAligned()
    {
        var path = _dir.Combine("aligned.safetensors");
        SafetensorsFile.Write(path, [TensorData.U8("x", [3], new byte[3]), TensorData.F64("w", [2], new double[2]), TensorData.I32("n", [1], new int[1])]);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0, (8 + BitConverter.ToInt64(bytes, 0)) % 8);
        using var reader = SafetensorsFile.Open(path);
        Assert.All(reader.Tensors, t => Assert.Equal(0, t.DataBegin % t.Dtype.Size()));
    }

    [Fact]
    public void ScalarsAndEmptyTensors()
    {
        var path = _dir.Combine("shapes.safetensors");
        SafetensorsFile.Write(path, [TensorData.F32("scalar", [], new float[] { 42 }), TensorData.F32("empty", [0, 5], Array.Empty<float>())]);
        using var reader = SafetensorsFile.Open(path);
        Assert.Equal(1, reader.GetTensor("scalar").ElementCount);
        Assert.Equal(0, reader.GetTensor("empty").ByteLength);
        var value = new float[1];
        reader.Read("scalar", value);
        Assert.Equal(42, value[0]);
        reader.Read("empty", Span<float>.Empty);
    }

    [Fact]
    public void RewritingReplacesTheFileAtomically()
    {
        var path = _dir.Combine("ckpt.safetensors");
        SafetensorsFile.Write(path, [TensorData.F32("w", [1], new float[] { 1 })]);
        using (var open = SafetensorsFile.Open(path))
        {
            // A reader that holds the old file keeps seeing the old, complete content.
            SafetensorsFile.Write(path, [TensorData.F32("w", [2], new float[] { 2, 3 })]);
            var old = new float[1];
            open.Read("w", old);
            Assert.Equal(1, old[0]);
        }
        using var reader = SafetensorsFile.Open(path);
        Assert.Equal([2L], reader.GetTensor("w").Shape);
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void WriteRejectsInvalidInput()
    {
        var path = _dir.Combine("bad.safetensors");
        Assert.Contains("Two tensors are named 'w'", Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(path, [TensorData.I32("w", [1], new int[1]), TensorData.I32("w", [1], new int[1])])).Message);
        Assert.Contains("needs 24 bytes (6 elements) but the data has 20 bytes", Assert.Throws<ArgumentException>(() => TensorData.F32("w", [2, 3], new float[5])).Message);
        Assert.Contains("negative dimension", Assert.Throws<ArgumentException>(() => TensorData.F32("w", [-1], new float[0])).Message);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => TensorData.F32("__metadata__", [0], new float[0])).Message);
        Assert.Contains("null value", Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(path, [], new Dictionary<string, string> { ["k"] = null! })).Message);
        Assert.False(File.Exists(path));
        Assert.Throws<DirectoryNotFoundException>(() => SafetensorsFile.Write(_dir.Combine("missing/dir/x.safetensors"), []));
    }

    private delegate void ReadInto<T>(SafetensorsReader reader, string name, Span<T> destination);

    private static T[] Read<T>(SafetensorsReader reader, string name, ReadInto<T> read)
    {
        var info = reader.GetTensor(name);
        var values = new T[typeof(T) == typeof(byte) ? info.ByteLength : info.ElementCount];
        read(reader, name, values);
        return values;
    }
}
