using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>
/// Checks every <c>tied(a -&gt; b)</c> clause once sources and targets are resolved: on layer L it makes the edge
/// b → L use the transpose of edge a → b's weights, so b must feed L (DNET0170), a → b must be an edge (DNET0171),
/// L must be as wide as a (DNET0172, when both widths are numbers; otherwise the runtime checks when it binds them),
/// an edge is shared at most once (DNET0173) and never through another tie (DNET0174), and a tied layer has no
/// max_norm (DNET0175). A tie that passes is stored on the layer (<see cref="BoundLayer.Tied"/>).
/// </summary>
internal sealed class TieChecks
{
    private readonly BindingContext _context;
    private readonly IReadOnlyList<BoundLayer> _layers;
    private readonly Dictionary<string, int> _byName;
    private readonly string _network;

    public TieChecks(BindingContext context, IReadOnlyList<BoundLayer> layers, Dictionary<string, int> byName, string network)
    {
        _context = context;
        _layers = layers;
        _byName = byName;
        _network = network;
    }

    public void Check()
    {
        var owners = new Dictionary<(int Source, int Target), BoundLayer>();
        foreach (var layer in _layers)
        {
            if (layer.TiedClause is not { } clause || !layer.HasName) continue;
            if (clause.Source.IsMissing || clause.Target.IsMissing) continue; // a syntax error, already reported
            if (!Resolve(clause.Source, out var a) || !Resolve(clause.Target, out var b)) continue;
            var owner = _layers[b];
            var aName = clause.Source.Text;
            var bName = clause.Target.Text;
            if (!layer.Sources.Contains(b))
            {
                _context.Report(DiagnosticCatalog.TiedTargetNotASource, clause.Target.Span, layer.Name, aName, bName);
                continue;
            }
            if (!owner.Sources.Contains(a))
            {
                var detail = a == b ? " (a layer is not its own source)" : owner.Kind == LayerKind.Input ? $" ('{bName}' is an input and has no weights)" : string.Empty;
                _context.Report(DiagnosticCatalog.TiedEdgeMissing, clause.Source.Span, layer.Name, aName, bName, detail);
                continue;
            }
            if (owner.TiedClause is { Target.IsMissing: false } ownerTie && ownerTie.Target.Text == aName)
            {
                _context.Report(DiagnosticCatalog.TiedChain, clause.Keyword.Span, layer.Name, aName, bName);
                continue;
            }
            if (owners.TryGetValue((a, b), out var first))
            {
                _context.Report(DiagnosticCatalog.EdgeTiedTwice, clause.Keyword.Span, layer.Name, aName, bName, first.Name, first.Syntax.Keyword.Span.StartLine + 1);
                continue;
            }
            owners.Add((a, b), layer);
            if (layer.MaxNormSyntax is { } maxNorm)
            {
                _context.Report(DiagnosticCatalog.MaxNormOnTiedLayer, maxNorm.Name.Span, layer.Name, aName, bName);
                continue;
            }
            if (Fixed(layer) is { } width && Fixed(_layers[a]) is { } sourceWidth && Fixed(owner) is { } ownerWidth && width != sourceWidth)
            {
                _context.Report(DiagnosticCatalog.TiedWidthMismatch, clause.Span, layer.Name, width, aName, bName, sourceWidth, ownerWidth);
                continue;
            }
            layer.Tied = new TiedEdgeModel(aName, bName);
        }
    }

    /// <summary>A width known now: a number that is not tuned. Auto and tuned widths are checked when the model binds them.</summary>
    private static long? Fixed(BoundLayer layer) =>
        layer.Width is { IsAuto: false, Units.IsTuned: false } width ? (long)width.Units.Value : null;

    private bool Resolve(SyntaxToken name, out int index)
    {
        if (_byName.TryGetValue(name.Text, out index)) return true;
        var guess = Suggestions.Best(name.Text, _byName.Keys.ToArray(), _context.Budget);
        _context.Report(DiagnosticCatalog.UnknownLayer, name.Span, _network, Lexer.Abbreviate(name.Text), Suggestions.Suffix(name.Text, guess, keyword: false));
        return false;
    }
}
