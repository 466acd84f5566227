namespace DestinyDsl.Distributed.Tests;

public class SmokeTests
{
    [Fact]
    public void ProjectBuilds() => Assert.True(true);
}
