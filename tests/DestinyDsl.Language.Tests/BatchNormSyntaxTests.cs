using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Tests;

/// <summary>
/// <c>batch_norm</c> on hidden layers (docs/language.md "Batch normalisation"): bound with PyTorch's defaults or the
/// written arguments, and every misuse reported at the exact line and column.
/// </summary>
public sealed class BatchNormSyntaxTests
{
    [Fact]
    public void BareBatchNormTakesPyTorchsDefaults()
    {
        var network = Dnet.Network(Dnet.With("    hidden h2 : 8 relu batch_norm <- h1\n    output o2 : sparse auto sigmoid <- h2 target items"));
        Assert.Equal(new BatchNormModel(0.1, 1e-5), network.Layers.Single(l => l.Name == "h2").BatchNorm);
        Assert.Null(network.Layers.Single(l => l.Name == "h1").BatchNorm);
    }

    [Fact]
    public void WrittenArgumentsAreBoundPositionallyOrByName()
    {
        var named = Dnet.Network(Dnet.With("    hidden h2 : 8 batch_norm(epsilon = 1e-3, momentum = 0.01) <- h1\n    output o2 : sparse auto sigmoid <- h2 target items"));
        Assert.Equal(new BatchNormModel(0.01, 1e-3), named.Layers.Single(l => l.Name == "h2").BatchNorm);
        var positional = Dnet.Network(Dnet.With("    hidden h2 : 8 batch_norm(1) <- h1\n    output o2 : sparse auto sigmoid <- h2 target items"));
        Assert.Equal(new BatchNormModel(1, 1e-5), positional.Layers.Single(l => l.Name == "h2").BatchNorm);
    }

    [Fact]
    public void BatchNormChangesTheNetworkHash()
    {
        var plain = Dnet.Network(Dnet.Valid);
        var normed = Dnet.Network(Dnet.Valid.Replace("16 sigmoid", "16 sigmoid batch_norm"));
        var tuned = Dnet.Network(Dnet.Valid.Replace("16 sigmoid", "16 sigmoid batch_norm(momentum = 0.2)"));
        Assert.NotEqual(plain.SourceHash, normed.SourceHash);
        Assert.NotEqual(normed.SourceHash, tuned.SourceHash);
    }

    [Theory]
    [InlineData("DNET0102", "    input x2 : 4 $batch_norm")]
    [InlineData("DNET0102", "    output o2 : sparse auto sigmoid $batch_norm <- h1 target items")]
    [InlineData("DNET0109", "    hidden h2 : 8 batch_norm $batch_norm <- h1")]
    [InlineData("DNET0122", "    hidden h2 : 8 batch_norm(momentum = $0) <- h1")]
    [InlineData("DNET0122", "    hidden h2 : 8 batch_norm(momentum = $1.5) <- h1")]
    [InlineData("DNET0122", "    hidden h2 : 8 batch_norm(epsilon = $0) <- h1")]
    [InlineData("DNET0128", "    hidden h2 : 8 batch_norm(momentum = 0.1 $tune(0.01 .. 0.5)) <- h1")]
    [InlineData("DNET0101", "    hidden h2 : 8 batch_norm($gamma = 2) <- h1")]
    [InlineData("DNET0140", "    hidden h2 : 8 $batch_normalization <- h1")]
    public void MisuseIsReportedWhereItIsWritten(string id, string marked)
    {
        var (text, line, column) = Dnet.Unmark(Dnet.With(marked));
        var diagnostic = Dnet.AssertReported(Dnet.Compile(text), id, line, column);
        if (id == "DNET0140") Assert.Contains("write batch_norm", diagnostic.Message);
    }
}
