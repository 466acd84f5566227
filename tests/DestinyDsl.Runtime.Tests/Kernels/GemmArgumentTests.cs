using DestinyDsl.Runtime.Kernels;

namespace DestinyDsl.Runtime.Tests.Kernels;

public class GemmArgumentTests
{
    [Fact]
    public void ShortAIsReportedWithItsShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 3, 4, 5, new float[14], 5, new float[20], 4, false, new float[12], 4));
        Assert.Equal("a", error.ParamName);
        Assert.Contains("holds 14 floats", error.Message);
        Assert.Contains("needs 15", error.Message);
    }

    [Fact]
    public void ShortTransposedBIsReported()
    {
        // op(B) is 5×4 stored transposed as 4×5: needs 3·5 + 5 = 20 floats.
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, true, 3, 4, 5, new float[15], 5, new float[19], 5, false, new float[12], 4));
        Assert.Equal("b", error.ParamName);
        Assert.Contains("stored transposed", error.Message);
    }

    [Fact]
    public void ShortCIsReported()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 3, 4, 5, new float[15], 5, new float[20], 4, false, new float[11], 4));
        Assert.Equal("c", error.ParamName);
    }

    [Fact]
    public void LeadingDimensionShorterThanARowIsReported()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 3, 4, 5, new float[15], 4, new float[20], 4, false, new float[12], 4));
        Assert.Contains("expected at least 5", error.Message);
    }

    [Fact]
    public void NegativeSizeIsReported()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MultiplyToSink(false, false, -1, 4, 5, new float[15], 5, new float[20], 4, default(NoEpilogue)));
    }
}
