using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Data;

public class IndexMapTests
{
    [Fact]
    public void IndicesFollowTheGivenOrder()
    {
        var map = new IndexMap(["b", "a", "c"]);
        Assert.Equal(3, map.Count);
        Assert.Equal(0, map.IndexOf("b"));
        Assert.Equal(2, map.IndexOf("c"));
        Assert.Equal("a", map.ExternalId(1));
        Assert.Equal("a", map[1]);
        Assert.Equal(["b", "a", "c"], map.ToArray());
    }

    [Fact]
    public void LookupsOfMissingIds()
    {
        var map = new IndexMap(["x"]);
        Assert.False(map.TryGetIndex("y", out _));
        Assert.True(map.TryGetIndex("x".AsSpan(), out var index));
        Assert.Equal(0, index);
        Assert.Contains("'y' is not in the index map (1 ids)", Assert.Throws<KeyNotFoundException>(() => map.IndexOf("y")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ExternalId(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ExternalId(-1));
    }

    [Fact]
    public void LookupIsOrdinal()
    {
        var map = new IndexMap(["Movie", "movie"]);
        Assert.Equal(1, map.IndexOf("movie"));
    }

    [Fact]
    public void DuplicateIdsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new IndexMap(["a", "b", "a"]));
        Assert.Contains("'a' appears twice (indices 0 and 2)", e.Message);
    }

    [Fact]
    public void NumberedIdsAreOneBased()
    {
        var map = IndexMap.Numbered("u", 3);
        Assert.Equal(["u1", "u2", "u3"], map.ToArray());
    }
}
