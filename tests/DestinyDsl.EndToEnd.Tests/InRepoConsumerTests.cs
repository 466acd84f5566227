using DestinyDsl.EndToEnd.Tests.Infrastructure;

namespace DestinyDsl.EndToEnd.Tests;

/// <summary>The in-repo form (DestinyDsl.InRepo.props, ProjectReferences) behaves exactly like the package.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class InRepoConsumerTests
{
    [Fact]
    public void ValidNetworksBuildAndTheGeneratedClassesAreUsable()
    {
        using var consumer = ConsumerProject.InRepo("Valid");
        ConsumerExpectations.BuildsAndRuns(consumer);
    }

    [Fact]
    public void BrokenNetworkFailsTheBuildWithEachErrorOnceAtItsPlace()
    {
        using var consumer = ConsumerProject.InRepo("Broken");
        ConsumerExpectations.FailsAtTheBrokenLines(consumer);
    }
}
