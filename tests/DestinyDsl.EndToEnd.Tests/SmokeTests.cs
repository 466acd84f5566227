namespace DestinyDsl.EndToEnd.Tests;

public class SmokeTests
{
    [Fact]
    public void ProjectBuilds() => Assert.True(true);
}
