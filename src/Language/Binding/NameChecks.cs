using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Binding;

/// <summary>
/// Checks that names become valid, non-colliding C# names: layer members are the PascalCase of the layer name,
/// input layers also become parameters of the generated typed methods, the network is the class name.
/// </summary>
internal sealed class NameChecks
{
    private readonly BindingContext _context;

    public NameChecks(BindingContext context) => _context = context;

    public void CheckNetworkName(Syntax.SyntaxToken name)
    {
        if (name.IsMissing) return;
        if (DnetNames.IsCSharpKeyword(name.Text)) _context.Report(DiagnosticCatalog.CSharpKeyword, name.Span, "network", name.Text);
    }

    public void CheckNamespace(Syntax.NamespaceDeclarationSyntax declaration)
    {
        foreach (var part in declaration.NameParts)
        {
            if (!part.IsMissing && DnetNames.IsCSharpKeyword(part.Text)) _context.Report(DiagnosticCatalog.CSharpKeyword, part.Span, "namespace", part.Text);
        }
    }

    /// <param name="layers">The network's layers with distinct names (first declarations).</param>
    public void CheckLayerNames(IReadOnlyList<BoundLayer> layers, string networkName)
    {
        var members = new Dictionary<string, BoundLayer>(StringComparer.Ordinal);
        var valid = new List<(BoundLayer Layer, string Member)>();
        foreach (var layer in layers)
        {
            // A layer named like a C# keyword (`output out`) is fine: its member is PascalCase (`Out`) and where it
            // becomes a parameter the generator writes it escaped (`@out`).
            var member = DnetNames.ToPascalCase(layer.Name);
            if (!DnetNames.IsValidIdentifier(member))
            {
                _context.Report(DiagnosticCatalog.InvalidIdentifier, layer.NameSpan, "layer", layer.Name, member);
                continue;
            }
            if (members.TryGetValue(member, out var other))
            {
                _context.Report(DiagnosticCatalog.MemberNameCollision, layer.NameSpan, other.Name, layer.Name, member);
                continue;
            }
            members.Add(member, layer);
            valid.Add((layer, member));
        }

        var memberNames = new HashSet<string>(members.Keys, StringComparer.Ordinal);
        foreach (var (layer, member) in valid)
        {
            var collision = DnetNames.FindMemberCollision(member, networkName, memberNames);
            if (collision is not null)
            {
                _context.Report(DiagnosticCatalog.ReservedMemberName, layer.NameSpan, layer.Name, member, collision);
            }
            else if (layer.Kind == LayerKind.Input && DnetNames.IsTypedMethodParameter(layer.Name))
            {
                _context.Report(DiagnosticCatalog.ReservedMemberName, layer.NameSpan, layer.Name, layer.Name,
                    "a parameter of the generated typed methods (Train, Evaluate, Recommend…), where each input becomes a parameter");
            }
        }
    }
}
