using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>An AdditionalFile held in memory (what the compiler hands generators and analyzers for each <c>.dnet</c>).</summary>
internal sealed class InMemoryAdditionalText : AdditionalText
{
    private readonly SourceText? _text;

    public InMemoryAdditionalText(string path, string? text)
    {
        Path = path;
        _text = text is null ? null : SourceText.From(text);
    }

    public override string Path { get; }

    public override SourceText? GetText(CancellationToken cancellationToken = default) => _text;
}
