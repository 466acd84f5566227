using DestinyDsl.Runtime.Checkpoints.Safetensors;
using DestinyDsl.Runtime.Tests.Data;

namespace DestinyDsl.Runtime.Tests.Checkpoints;

/// <summary>Every way a file can break the format is rejected by Open, before any tensor is read, with a message that says what.</summary>
public sealed class SafetensorsValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Entry(string name, string dtype, string shape, long begin, long end)
        => $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    [Fact]
    public void AFileShorterThanTheLengthPrefix()
    {
        var e = Reject([1, 2, 3]);
        Assert.Contains("truncated: the file has 3 bytes, fewer than the 8-byte header length", e.Message);
    }

    [Fact]
    public void AHeaderLengthOverTheLimit()
    {
        var e = Reject(RawSafetensors.Build("{}", [], declaredHeaderLength: 200_000_000));
        Assert.Contains("header length 200000000 exceeds the format's limit of 100000000 bytes", e.Message);
    }

    [Fact]
    public void AHeaderLengthLongerThanTheFile()
    {
        var e = Reject(RawSafetensors.Build("{}", new byte[40], declaredHeaderLength: 1000));
        Assert.Contains("truncated header: the header length says 1000 bytes but only 42 follow", e.Message);
    }

    [Fact]
    public void AHeaderLengthShorterThanTheJson()
    {
        var json = $"{{{Entry("w", "F32", "[2]", 0, 8)}}}";
        var e = Reject(RawSafetensors.Build(json + "        ", new byte[8], declaredHeaderLength: 20));
        Assert.Contains("the header is not valid JSON", e.Message);
    }

    [Fact]
    public void TruncatedData()
    {
        var e = Reject(RawSafetensors.Build($"{{{Entry("w", "F32", "[262144]", 0, 1048576)}}}", new byte[1000]));
        Assert.Contains("truncated: header says 1048576 bytes of data (tensor 'w' ends at 1048576), file has 1000", e.Message);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32",""", "the header is not valid JSON")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} x""", "the header is not valid JSON")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],}}""", "the header is not valid JSON")]
    [InlineData("""[1, 2]""", "the header must be a JSON object starting with '{', but starts with '['")]
    [InlineData(""" {}""", "starts with ' '")]
    public void BadJson(string header, string reason)
        => Assert.Contains(reason, Reject(RawSafetensors.Build(header, new byte[8])).Message);

    [Fact]
    public void InvalidUtf8InTheHeader()
    {
        byte[] header = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        Assert.Contains("the header is not valid UTF-8", Reject(RawSafetensors.Build(header, [])).Message);
    }

    [Fact]
    public void AnUnknownDtype()
    {
        var e = Reject(RawSafetensors.Build($"{{{Entry("w", "F33", "[2]", 0, 8)}}}", new byte[8]));
        Assert.Equal("w", e.Tensor);
        Assert.Contains("tensor 'w': unknown dtype 'F33' (known: BOOL, U8", e.Message);
    }

    [Fact]
    public void AShapeThatDisagreesWithTheOffsets()
    {
        var e = Reject(RawSafetensors.Build($"{{{Entry("w", "F32", "[2,3]", 0, 20)}}}", new byte[20]));
        Assert.Contains("tensor 'w': shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 20] span 20", e.Message);
    }

    [Fact]
    public void OverlappingTensors()
    {
        var e = Reject(RawSafetensors.Build($"{{{Entry("a", "F32", "[2]", 0, 8)},{Entry("b", "F32", "[2]", 4, 12)}}}", new byte[12]));
        Assert.Contains("tensor 'b': data_offsets [4, 12] overlap tensor 'a' [0, 8]", e.Message);
    }

    [Fact]
    public void AGapBetweenTensors()
    {
        var e = Reject(RawSafetensors.Build($"{{{Entry("a", "F32", "[2]", 0, 8)},{Entry("b", "F32", "[2]", 12, 20)}}}", new byte[20]));
        Assert.Contains("tensor 'b': data_offsets [12, 20] leave a gap: bytes [8, 12) of the data section belong to no tensor", e.Message);
    }

    [Fact]
    public void OffsetsBeyondTheDataSection()
    {
        var e = Reject(RawSafetensors.Build($"{{{Entry("w", "F32", "[2]", 100, 108)}}}", new byte[8]));
        Assert.Contains("truncated: header says 108 bytes of data (tensor 'w' ends at 108), file has 8", e.Message);
    }

    [Fact]
    public void BytesAfterTheLastTensor()
    {
        var e = Reject(RawSafetensors.Build($"{{{Entry("w", "F32", "[2]", 0, 8)}}}", new byte[10]));
        Assert.Contains("2 bytes after the last tensor's data (the tensors cover 8 of the 10 data bytes)", e.Message);
    }

    [Fact]
    public void OffsetsThatEndBeforeTheyBegin()
        => Assert.Contains("data_offsets [8, 0] end before they begin", Reject(RawSafetensors.Build($"{{{Entry("w", "F32", "[0]", 8, 0)}}}", new byte[8])).Message);

    [Fact]
    public void AShapeWhoseSizeOverflows()
        => Assert.Contains("shape [4611686018427387904, 4] of F32 overflows a 64-bit byte count", Reject(RawSafetensors.Build($"{{{Entry("w", "F32", "[4611686018427387904,4]", 0, 8)}}}", new byte[8])).Message);

    [Theory]
    [InlineData("""{"__metadata__":{"epoch":3}}""", "metadata 'epoch' is a number; metadata values must be strings")]
    [InlineData("""{"__metadata__":{"ok":"yes","nested":{"a":"b"}}}""", "metadata 'nested' is a object; metadata values must be strings")]
    [InlineData("""{"__metadata__":{"flag":true}}""", "metadata 'flag' is a boolean")]
    [InlineData("""{"__metadata__":["a"]}""", "'__metadata__' must be an object of strings")]
    [InlineData("""{"__metadata__":{"k":"a","k":"b"}}""", "metadata key 'k' appears twice")]
    public void MetadataMustBeStrings(string header, string reason)
        => Assert.Contains(reason, Reject(RawSafetensors.Build(header, [])).Message);

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", "shape must hold non-negative integers, found -1")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,0]}}""", "shape must hold non-negative integers, found 1.5")]
    [InlineData("""{"w":{"dtype":"F32","shape":["2"],"data_offsets":[0,0]}}""", "shape must hold non-negative integers, found string")]
    [InlineData("""{"w":{"dtype":"F32","shape":2,"data_offsets":[0,0]}}""", "shape must be an array of non-negative integers, found number")]
    [InlineData("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0,0]}}""", "data_offsets must be [begin, end], found 3 numbers")]
    [InlineData("""{"w":{"dtype":"F32","shape":[0]}}""", "the entry has no data_offsets")]
    [InlineData("""{"w":{"shape":[0],"data_offsets":[0,0]}}""", "the entry has no dtype")]
    [InlineData("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0],"offsets":[0,0]}}""", "unknown key 'offsets' in the entry")]
    [InlineData("""{"w":{"dtype":"F32","dtype":"F32","shape":[0],"data_offsets":[0,0]}}""", "'dtype' appears twice in the entry")]
    [InlineData("""{"w":{"dtype":7,"shape":[0],"data_offsets":[0,0]}}""", "dtype must be a string, found number")]
    [InlineData("""{"w":[1]}""", "the entry must be an object with dtype, shape and data_offsets, found array")]
    [InlineData("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}""", "tensor 'w': the name appears twice in the header")]
    [InlineData("""{"w":{"dtype":"f32","shape":[0],"data_offsets":[0,0]}}""", "unknown dtype 'f32'")]
    public void MalformedEntries(string header, string reason)
    {
        var e = Reject(RawSafetensors.Build(header, []));
        Assert.Contains(reason, e.Message);
        Assert.Contains("tensor 'w'", e.Message);
    }

    [Fact]
    public void ReadsCheckNameDtypeAndLength()
    {
        var path = _dir.Bytes("ok.safetensors", RawSafetensors.Build($"{{{Entry("a", "I64", "[2]", 0, 16)},{Entry("b", "BOOL", "[2]", 16, 18)}}}", [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 2]));
        using var reader = SafetensorsFile.Open(path);
        var e = Assert.Throws<CheckpointFormatException>(() => reader.Read("a", new float[2]));
        Assert.Equal($"{path}: tensor 'a': dtype is I64 (shape [2]), not the F32 asked for", e.Message);
        e = Assert.Throws<CheckpointFormatException>(() => reader.Read("a", new long[3]));
        Assert.Contains("tensor 'a': shape [2] has 2 elements; the destination holds 3", e.Message);
        e = Assert.Throws<CheckpointFormatException>(() => reader.Read("c", new long[2]));
        Assert.Contains("tensor 'c': no such tensor in the file (it has: 'a', 'b')", e.Message);
        e = Assert.Throws<CheckpointFormatException>(() => reader.Read("b", new bool[2]));
        Assert.True(e.Message.Contains("BOOL element 1 is byte 2; booleans must be 0 or 1"), e.Message);
        var values = new long[2];
        reader.Read("a", values);
        Assert.Equal([1L, 2], values);
    }

    [Fact]
    public void AMissingFileIsFileNotFound()
        => Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Open(_dir.Combine("none.safetensors")));

    private CheckpointFormatException Reject(byte[] file)
    {
        var path = _dir.Bytes($"{Guid.NewGuid():N}.safetensors", file);
        var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message);
        return e;
    }
}
