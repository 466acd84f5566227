using DestinyDsl.Runtime.Checkpoints.Safetensors;
using DestinyDsl.Runtime.Tests.Data;

namespace DestinyDsl.Runtime.Tests.Checkpoints;

/// <summary>
/// Byte-exact fixtures of what the reference safetensors implementation (the Rust core under PyTorch's
/// <c>safetensors</c> package) writes for the same input: compact JSON, <c>__metadata__</c> first, header padded with
/// spaces to a multiple of 8, data packed after it. Python with safetensors is not available on the build machines,
/// so these fixed bytes stand in for a live cross-check.
/// </summary>
public sealed class SafetensorsReferenceFixtureTests : IDisposable
{
    private static readonly float[] ZeroToFive = [0, 1, 2, 3, 4, 5];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void OneTensorWhoseHeaderNeedsNoPadding()
    {
        var expected = RawSafetensors.Build("""{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}""", RawSafetensors.LittleEndianFloats(ZeroToFive));
        Assert.Equal(64, expected[0]);                              // 64-byte header, already a multiple of 8
        Assert.Equal(expected, Write([TensorData.F32("attn.0", [1, 2, 3], ZeroToFive)]));
    }

    [Fact]
    public void HeaderIsPaddedWithSpacesToAMultipleOfEight()
    {
        var expected = RawSafetensors.Build("""{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}""" + "       ", RawSafetensors.LittleEndianFloats(ZeroToFive));
        Assert.Equal(72, expected[0]);
        Assert.Equal(expected, Write([TensorData.F32("attn0", [1, 1, 2, 3], ZeroToFive)]));
    }

    [Fact]
    public void EmptyFileAndMetadataOnly()
    {
        Assert.Equal(RawSafetensors.Build("{}      ", []), Write([]));
        Assert.Equal(RawSafetensors.Build("""{"__metadata__":{"framework":"pt"}}     """, []), Write([], new Dictionary<string, string> { ["framework"] = "pt" }));
    }

    [Fact]
    public void TensorsAreOrderedByAlignmentThenName()
    {
        // The reference sorts by dtype (largest alignment first) then name, so every tensor starts aligned.
        var bytes = Write(
        [
            TensorData.U8("a", [3], new byte[] { 1, 2, 3 }),
            TensorData.F32("b", [1], new float[] { 1 }),
            TensorData.F64("c", [1], new double[] { 1 }),
            TensorData.F32("a32", [1], new float[] { 2 }),
        ]);
        var header = System.Text.Encoding.UTF8.GetString(bytes, 8, bytes[0]);
        Assert.StartsWith("""{"c":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"a32":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},"a":{"dtype":"U8","shape":[3],"data_offsets":[16,19]}}""", header);
    }

    [Fact]
    public void TheReaderAcceptsHandBuiltReferenceBytes()
    {
        // Written as the reference would, with tensors out of name order and metadata last: the format allows any order.
        var path = _dir.Bytes("ref.safetensors", RawSafetensors.Build(
            """{"z":{"dtype":"I32","shape":[2],"data_offsets":[8,16]},"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"__metadata__":{"format":"pt"}}""",
            [7, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF]));
        using var reader = SafetensorsFile.Open(path);
        Assert.Equal(["a", "z"], reader.Tensors.Select(t => t.Name));
        Assert.Equal("pt", reader.Metadata["format"]);
        var scalar = new long[1];
        reader.Read("a", scalar);
        Assert.Equal(7, scalar[0]);
        var pair = new int[2];
        reader.Read("z", pair);
        Assert.Equal([1, -2], pair);
    }

    private byte[] Write(IReadOnlyList<TensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var path = _dir.Combine($"{Guid.NewGuid():N}.safetensors");
        SafetensorsFile.Write(path, tensors, metadata);
        return File.ReadAllBytes(path);
    }
}
