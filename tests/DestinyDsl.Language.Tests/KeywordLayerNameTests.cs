using DestinyDsl.Language.Diagnostics;

namespace DestinyDsl.Language.Tests;

/// <summary>
/// Layer names that are C# keywords (`output out`, `input in`, `hidden class`) are accepted: the generator escapes
/// them where they become parameters (`@out`); only network and namespace names, which the user types in C#, stay
/// DNET0130 errors.
/// </summary>
public class KeywordLayerNameTests
{
    [Fact]
    public void Layers_named_like_csharp_keywords_bind_without_diagnostics()
    {
        var network = Dnet.Network("""
            network Net {
                input  in    : sparse auto
                hidden class : 8 sigmoid
                output out   : sparse auto sigmoid <- class target in
            }
            """);
        Assert.Equal(new[] { "in", "class", "out" }, network.Layers.Select(l => l.Name).ToArray());
        Assert.DoesNotContain(Dnet.Compile("network Net {\n    input in : 4\n    output out : 4 sigmoid target in\n}").Diagnostics, d => d.Severity == DnetSeverity.Error);
    }

    [Fact]
    public void A_network_named_like_a_keyword_is_still_an_error()
    {
        var compilation = Dnet.Compile("network int {\n    input in : 4\n    output out : 4 sigmoid target in\n}");
        Assert.Contains(compilation.Diagnostics, d => d.Id == "DNET0130" && d.Message.Contains("network name 'int'"));
    }
}
