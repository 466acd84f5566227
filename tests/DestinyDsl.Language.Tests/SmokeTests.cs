using DestinyDsl.Language;

namespace DestinyDsl.Language.Tests;

public class SmokeTests
{
    [Fact]
    public void EmptyFileCompilesWithoutThrowing() => Assert.False(DnetCompiler.Compile("", "empty.dnet").HasErrors);
}
