using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;
using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Binding;

/// <summary>A layer while its network is being bound: its values plus the syntax needed to place diagnostics.</summary>
internal sealed class BoundLayer
{
    public BoundLayer(LayerDeclarationSyntax syntax, int index)
    {
        Syntax = syntax;
        Index = index;
        Activation = syntax.Kind == LayerKind.Input ? new ActivationModel(ActivationKind.Linear) : ActivationModel.Default;
    }

    public LayerDeclarationSyntax Syntax { get; }

    /// <summary>Position in declaration order.</summary>
    public int Index { get; }

    public string Name => Syntax.Name.Text;

    /// <summary>False when the name is missing or was a keyword (already reported): such a layer is never looked up.</summary>
    public bool HasName => !Syntax.Name.IsMissing;

    public LayerKind Kind => Syntax.Kind;

    public bool Sparse { get; set; }

    public SparseClauseSyntax? SparseClause { get; set; }

    /// <summary>The width, or null when it is broken (already reported).</summary>
    public WidthModel? Width { get; set; }

    public ActivationModel Activation { get; set; }

    /// <summary>The activation clause as written (null when defaulted).</summary>
    public CallSyntax? ActivationSyntax { get; set; }

    public Tunable Dropout { get; set; } = Tunable.Fixed(0);

    public InitModel Init { get; set; } = InitModel.Default;

    public double BiasInit { get; set; }

    public double MaxNorm { get; set; }

    /// <summary>The layer's batch normalisation, null when not written.</summary>
    public BatchNormModel? BatchNorm { get; set; }

    public SourcesClauseSyntax? SourcesClause { get; set; }

    public TargetClauseSyntax? TargetClause { get; set; }

    /// <summary>The <c>tied(a -&gt; b)</c> clause, checked by <see cref="TieChecks"/>.</summary>
    public TiedClauseSyntax? TiedClause { get; set; }

    /// <summary>The tie once it passed every check (null without one, or when it was reported).</summary>
    public TiedEdgeModel? Tied { get; set; }

    /// <summary>The <c>max_norm</c> clause as written (null when absent).</summary>
    public CallSyntax? MaxNormSyntax { get; set; }

    /// <summary>Resolved sources (declaration indices), filled by <see cref="LayerGraph"/>.</summary>
    public List<int> Sources { get; } = new();

    /// <summary>Resolved target (declaration index) of an output.</summary>
    public int? Target { get; set; }

    /// <summary>Where to report a problem about the layer's activation: the activation clause, else the name.</summary>
    public SourceSpan ActivationSpan => ActivationSyntax?.Span ?? NameSpan;

    public SourceSpan NameSpan => Syntax.Name.IsMissing && Syntax.Name.Text.Length == 0 ? Syntax.Keyword.Span : Syntax.Name.Span;

    public string ActivationName => ActivationSyntax?.Name.Text ?? "sigmoid (the default)";
}
