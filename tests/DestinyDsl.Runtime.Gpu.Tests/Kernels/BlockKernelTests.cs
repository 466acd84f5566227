namespace DestinyDsl.Runtime.Gpu.Tests.Kernels;

/// <summary>Row-major ↔ block-major reshuffles for a ragged split of the columns over three shards.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class BlockKernelTests(LibraryFixture fx)
{
    private const int Rows = 6, Width = 23, Off = 4, Base = 5;
    private static readonly (int Start, int Count)[] Ranges = [(0, 8), (8, 7), (15, 8)];

    [Fact]
    public void ToBlocksThenFromBlocksRoundTrips()
    {
        var full = LibraryFixture.Random(Off + (Rows * Width), seed: 11);
        using var dfull = fx.Upload(full);
        using var dblocks = fx.Upload(new float[Base + (Rows * Width) + 3]);

        var offset = Base;
        foreach (var (start, count) in Ranges)
        {
            fx.Kernels.ToBlocks(fx.Stream, dfull.From(Off), Rows, Width, start, count, dblocks.View, offset);
            offset += Rows * count;
        }
        var blocks = fx.Download(dblocks);
        var expected = new float[blocks.Length];
        offset = Base;
        foreach (var (start, count) in Ranges)
        {
            for (var r = 0; r < Rows; r++)
            {
                for (var c = 0; c < count; c++) expected[offset + (r * count) + c] = full[Off + (r * Width) + start + c];
            }
            offset += Rows * count;
        }
        Assert.Equal(expected, blocks);

        using var dback = fx.Upload(new float[Off + (Rows * Width)]);
        offset = Base;
        foreach (var (start, count) in Ranges)
        {
            fx.Kernels.FromBlocks(fx.Stream, dblocks.View, offset, Rows, Width, start, count, dback.From(Off));
            offset += Rows * count;
        }
        var back = fx.Download(dback);
        Assert.Equal(full.AsSpan(Off).ToArray(), back.AsSpan(Off).ToArray());
    }

    [Fact]
    public void RejectsARangePastTheWidth()
    {
        using var dfull = fx.Upload(new float[Rows * Width]);
        using var dblocks = fx.Upload(new float[Rows * Width]);
        Assert.Throws<ArgumentOutOfRangeException>(() => fx.Kernels.ToBlocks(fx.Stream, dfull.View, Rows, Width, 20, 4, dblocks.View, 0));
    }
}
