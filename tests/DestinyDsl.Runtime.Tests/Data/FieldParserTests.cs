using System.Globalization;
using System.Text;
using DestinyDsl.Runtime.Data.IO;

namespace DestinyDsl.Runtime.Tests.Data;

/// <summary>The loaders' fast number paths must agree exactly with the BCL parsers they short-cut.</summary>
public class FieldParserTests
{
    [Fact]
    public void DecimalFastPathMatchesDoubleParseBitForBit()
    {
        var random = new Random(17);
        var samples = new List<string> { "0", "5", "0.5", "3.5", "4.0", "0.1", "0.3", "123456789012345", "0.000000000000001", "99999.9999999999" };
        for (var i = 0; i < 20_000; i++)
        {
            var integer = random.NextInt64(0, 10_000_000);
            var fraction = random.Next(0, 8) is var digits && digits == 0 ? "" : "." + random.NextInt64(0, (long)Math.Pow(10, digits)).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
            samples.Add(integer.ToString(CultureInfo.InvariantCulture) + fraction);
        }
        foreach (var text in samples)
        {
            Assert.Null(FieldParser.ParseFinite(Encoding.ASCII.GetBytes(text), "x", out var fast));
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(fast));
        }
    }

    [Theory]
    [InlineData("1e3", 1000)]
    [InlineData("-2.5", -2.5)]
    [InlineData(" 4 ", 4)]
    [InlineData("1234567890.1234567", 1234567890.1234567)]
    [InlineData(".5", 0.5)]
    public void OtherShapesFallBackToTheGeneralParser(string text, double expected)
    {
        Assert.Null(FieldParser.ParseFinite(Encoding.ASCII.GetBytes(text), "x", out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("+12", 12)]
    [InlineData(" 7", 7)]
    public void IdsParse(string text, int expected)
    {
        Assert.Null(FieldParser.ParseId(Encoding.ASCII.GetBytes(text), "id", out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("2147483648", "id 2147483648 is out of range")]
    [InlineData("1.0", "id '1.0' is not an integer")]
    [InlineData("", "id is empty")]
    public void BadIds(string text, string reason)
        => Assert.Equal(reason, FieldParser.ParseId(Encoding.ASCII.GetBytes(text), "id", out _)?[..reason.Length]);
}
