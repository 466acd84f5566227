namespace DestinyDsl.Language.Tests;

/// <summary>
/// Per-example weights and valued sparse data are data, not network syntax: the DSSTNE-style spellings stay rejected
/// (DNET0140) and the message says which API gives them.
/// </summary>
public sealed class ExampleWeightsSyntaxTests
{
    [Theory]
    [InlineData("    train weights = 1")]
    [InlineData("    train example_weights = 1")]
    public void WeightSettingsNameTheDataApi(string line)
    {
        var diagnostic = Assert.Single(Dnet.Compile(Dnet.With(line)).Diagnostics);
        Assert.Equal("DNET0140", diagnostic.Id);
        Assert.Contains("NetworkData.WithExampleWeights", diagnostic.Message);
        Assert.DoesNotContain("planned", diagnostic.Message);
    }

    [Theory]
    [InlineData("    hidden h2 : 16 weighted <- h1")]
    [InlineData("    hidden h2 : 16 analog <- h1")]
    public void ValuedDataClausesNameTheLoaderOptionsAndTheWeightsApi(string line)
    {
        var diagnostic = Assert.Single(Dnet.Compile(Dnet.With(line)).Diagnostics);
        Assert.Equal("DNET0140", diagnostic.Id);
        Assert.Contains("DsstneTextOptions.KeepValues", diagnostic.Message);
        Assert.Contains("MovieLensOptions.KeepRatings", diagnostic.Message);
        Assert.Contains("NetworkData.WithExampleWeights", diagnostic.Message);
    }
}
