using DestinyDsl.Language.Constructs;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>Binds one layer declaration: width, sparse, activation, modifiers; records sources and target for the graph.</summary>
internal sealed class LayerBinder
{
    private static readonly ParameterInfo WidthParameter = new("width", ParameterType.Number, double.NaN, true, ValueRule.Width, true, null);

    private static readonly string[] ClauseWords =
        Vocabulary.Activations.Select(a => a.Name).Concat(Vocabulary.Modifiers.Select(m => m.Name)).Concat(new[] { "sparse", "target" }).ToArray();

    private readonly BindingContext _context;
    private readonly ValueBinder _values;
    private readonly ArgumentBinder _arguments;

    public LayerBinder(BindingContext context)
    {
        _context = context;
        _values = new ValueBinder(context);
        _arguments = new ArgumentBinder(context);
    }

    public BoundLayer Bind(LayerDeclarationSyntax syntax, int index, List<SearchParameter> space)
    {
        var layer = new BoundLayer(syntax, index);
        var label = layer.HasName ? layer.Name : "?";
        BindSparse(layer, label);
        BindWidth(layer, label, space);

        var seenModifiers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var clause in syntax.Clauses)
        {
            switch (clause)
            {
                case SourcesClauseSyntax sources:
                    if (layer.Kind == LayerKind.Input) NotAllowed(layer, label, sources.Arrow.Span, "sources ('<-')", " (inputs read their data)");
                    else if (layer.SourcesClause is not null) _context.Report(DiagnosticCatalog.DuplicateClause, sources.Arrow.Span, label, "source list ('<-')");
                    else layer.SourcesClause = sources;
                    break;
                case TargetClauseSyntax target:
                    if (layer.Kind != LayerKind.Output) NotAllowed(layer, label, target.Keyword.Span, "a target", " (only output layers are trained against a target)");
                    else if (layer.TargetClause is not null) _context.Report(DiagnosticCatalog.DuplicateClause, target.Keyword.Span, label, "target");
                    else layer.TargetClause = target;
                    break;
                case TiedClauseSyntax tied:
                    if (layer.Kind == LayerKind.Input) NotAllowed(layer, label, tied.Keyword.Span, "tied weights", " (inputs have no weights)");
                    else if (layer.TiedClause is not null) _context.Report(DiagnosticCatalog.DuplicateClause, tied.Keyword.Span, label, "'tied'");
                    else layer.TiedClause = tied;
                    break;
                case CallClauseSyntax call:
                    BindCall(layer, label, call.Call, seenModifiers, space);
                    break;
            }
        }
        return layer;
    }

    private void BindSparse(BoundLayer layer, string label)
    {
        foreach (var clause in layer.Syntax.Clauses)
        {
            if (clause is not SparseClauseSyntax sparse) continue;
            if (layer.SparseClause is not null)
            {
                _context.Report(DiagnosticCatalog.DuplicateClause, sparse.Keyword.Span, label, "'sparse'");
                continue;
            }
            layer.SparseClause = sparse;
            if (layer.Kind == LayerKind.Hidden) _context.Report(DiagnosticCatalog.SparseHidden, sparse.Keyword.Span, label);
            else layer.Sparse = true;
        }
    }

    private void BindWidth(BoundLayer layer, string label, List<SearchParameter> space)
    {
        var subject = $"the width of layer '{label}'";
        switch (layer.Syntax.Width)
        {
            case MissingValueSyntax:
                return;
            case KeywordValueSyntax { Keyword.Kind: SyntaxKind.AutoKeyword } auto:
                if (layer.Kind == LayerKind.Hidden) _context.Report(DiagnosticCatalog.AutoWidthOnHidden, auto.Span, label);
                else layer.Width = WidthModel.Auto;
                return;
            case CallSyntax { Name.IsMissing: false } call when string.Equals(call.Name.Text, "auto", StringComparison.OrdinalIgnoreCase):
                _context.Report(DiagnosticCatalog.UnknownName, call.Name.Span, "width", call.Name.Text, Suggestions.Suffix(call.Name.Text, "auto"));
                return;
            case NumberSyntax or ChoiceValueSyntax:
            {
                var isRange = layer.Syntax.Width is NumberSyntax { Range: not null } or ChoiceValueSyntax;
                if (layer.Kind == LayerKind.Input && isRange)
                {
                    var keyword = layer.Syntax.Width is NumberSyntax n ? n.Range!.Keyword : ((ChoiceValueSyntax)layer.Syntax.Width).Choice.Keyword;
                    _context.Report(DiagnosticCatalog.NotTunable, keyword.Span, BindingContext.Sentence(subject), "an input's width is the width of its data");
                    return;
                }
                var units = _values.Tunable(layer.Syntax.Width, WidthParameter, subject, $"{label}.width", space);
                if (units is not null) layer.Width = new WidthModel(false, units);
                return;
            }
            default:
                _values.ReportKindMismatch(layer.Syntax.Width, subject, "a positive integer, 'auto' or choice(...)");
                return;
        }
    }

    private void BindCall(BoundLayer layer, string label, CallSyntax call, HashSet<string> seenModifiers, List<SearchParameter> space)
    {
        if (call.Name.IsMissing) return;
        var name = call.Name.Text;
        var activation = Vocabulary.FindIn(Vocabulary.Activations, name);
        if (activation is not null)
        {
            if (layer.Kind == LayerKind.Input) NotAllowed(layer, label, call.Name.Span, "an activation", " (inputs pass their data on unchanged)");
            else if (layer.ActivationSyntax is not null) _context.Report(DiagnosticCatalog.DuplicateClause, call.Name.Span, label, "activation");
            else BindActivation(layer, label, call, activation);
            return;
        }

        var modifier = Vocabulary.FindIn(Vocabulary.Modifiers, name);
        if (modifier is not null)
        {
            BindModifier(layer, label, call, modifier, seenModifiers, space);
            return;
        }

        if (Vocabulary.UnsupportedLayerClauses.TryGetValue(name, out var why))
        {
            _context.Report(DiagnosticCatalog.NotSupported, call.Name.Span, name, why);
            return;
        }
        var guess = Suggestions.Best(name, ClauseWords, _context.Budget);
        var detail = guess is not null ? Suggestions.Suffix(name, guess)
            : Vocabulary.FindIn(Vocabulary.Losses, name) is not null ? $"; '{name}' is a loss: write 'loss {name}' as a statement of the network"
            : "; expected an activation (sigmoid, tanh, relu, leaky_relu, elu, selu, softplus, softsign, softmax, linear) or dropout, init, bias, max_norm, batch_norm";
        _context.Report(DiagnosticCatalog.UnknownName, call.Name.Span, "activation or layer modifier", Lexer.Abbreviate(name), detail);
    }

    private void BindActivation(BoundLayer layer, string label, CallSyntax call, ConstructInfo activation)
    {
        layer.ActivationSyntax = call;
        var bound = _arguments.Bind(call, activation);
        var kind = (ActivationKind)activation.Tag!;
        var model = new ActivationModel(kind);
        foreach (var parameter in activation.Parameters)
        {
            var value = bound[parameter.Name];
            if (value is null) continue;
            var constant = _values.Constant(value, parameter, $"the {parameter.Name} of {activation.Name} in layer '{label}'");
            if (constant is null) continue;
            model = parameter.Name == "slope" ? model with { Slope = constant.Value } : model with { Alpha = constant.Value };
        }
        if (kind == ActivationKind.Selu) model = model with { Alpha = Vocabulary.SeluAlpha, Lambda = Vocabulary.SeluLambda };
        layer.Activation = model;
    }

    private void BindModifier(BoundLayer layer, string label, CallSyntax call, ConstructInfo modifier, HashSet<string> seen, List<SearchParameter> space)
    {
        var name = modifier.Name;
        if (name == "dropout" && layer.Kind == LayerKind.Output)
        {
            NotAllowed(layer, label, call.Name.Span, "dropout", " (dropout applies to what a layer passes on; an output passes nothing on)");
            return;
        }
        if (name == "dropout" && layer.Kind == LayerKind.Input && layer.Sparse)
        {
            NotAllowed(layer, label, call.Name.Span, "dropout", " (it is sparse: use 'train denoising = p' to drop its non-zeros)");
            return;
        }
        if (name != "dropout" && layer.Kind == LayerKind.Input)
        {
            NotAllowed(layer, label, call.Name.Span, $"'{name}'", " (inputs have no weights or biases)");
            return;
        }
        if (name == "batch_norm" && layer.Kind == LayerKind.Output)
        {
            NotAllowed(layer, label, call.Name.Span, "batch_norm", " (it normalises what a hidden layer passes on; an output's activations are what the loss compares)");
            return;
        }
        if (!seen.Add(name))
        {
            _context.Report(DiagnosticCatalog.DuplicateClause, call.Name.Span, label, $"'{name}'");
            return;
        }
        if (name == "batch_norm")
        {
            BindBatchNorm(layer, label, call, modifier);
            return;
        }

        var bound = _arguments.Bind(call, modifier);
        var parameter = modifier.Parameters[0];
        var value = bound[parameter.Name];
        if (value is null) return;
        switch (name)
        {
            case "dropout":
                if (_values.Tunable(value, parameter, $"the dropout of layer '{label}'", $"{label}.dropout", space) is { } dropout) layer.Dropout = dropout;
                break;
            case "bias":
                if (_values.Constant(value, parameter, $"the bias of layer '{label}'") is { } bias) layer.BiasInit = bias;
                break;
            case "max_norm":
                layer.MaxNormSyntax = call;
                if (_values.Constant(value, parameter, $"the max_norm of layer '{label}'") is { } maxNorm) layer.MaxNorm = maxNorm;
                break;
            default:
                if (BindInit(value, label) is { } init) layer.Init = init;
                break;
        }
    }

    private void BindBatchNorm(BoundLayer layer, string label, CallSyntax call, ConstructInfo modifier)
    {
        var bound = _arguments.Bind(call, modifier);
        var model = new BatchNormModel();
        foreach (var parameter in modifier.Parameters)
        {
            if (bound[parameter.Name] is not { } value) continue;
            var constant = _values.Constant(value, parameter, $"the {parameter.Name} of batch_norm in layer '{label}'");
            if (constant is null) continue;
            model = parameter.Name == "momentum" ? model with { Momentum = constant.Value } : model with { Epsilon = constant.Value };
        }
        layer.BatchNorm = model;
    }

    private InitModel? BindInit(ValueSyntax value, string label)
    {
        var subject = $"the init of layer '{label}'";
        if (value is not CallSyntax call || call.Name.IsMissing)
        {
            _values.ReportKindMismatch(value, subject, "an initialiser (xavier, caffe_xavier, gaussian(std), uniform(scale), unit_ball, lecun, constant(value))");
            return null;
        }
        var name = call.Name.Text;
        var scheme = Vocabulary.FindIn(Vocabulary.InitSchemes, name);
        if (scheme is null)
        {
            if (Vocabulary.UnsupportedInitSchemes.TryGetValue(name, out var why))
            {
                _context.Report(DiagnosticCatalog.NotSupported, call.Name.Span, name, why);
                return null;
            }
            var guess = Suggestions.Best(name, Vocabulary.InitSchemes.Select(s => s.Name).ToArray(), _context.Budget);
            _context.Report(DiagnosticCatalog.UnknownName, call.Name.Span, "initialiser", Lexer.Abbreviate(name),
                guess is not null ? Suggestions.Suffix(name, guess) : "; expected xavier, caffe_xavier, gaussian, uniform, unit_ball, lecun or constant");
            return null;
        }
        var bound = _arguments.Bind(call, scheme);
        var parameter = scheme.Parameters[0];
        var scale = parameter.Default;
        if (bound[parameter.Name] is { } written)
        {
            var constant = _values.Constant(written, parameter, $"the {parameter.Name} of {name} in layer '{label}'");
            if (constant is null) return null;
            scale = constant.Value;
        }
        else if (parameter.Required)
        {
            return null; // reported as a missing argument
        }
        return new InitModel((InitScheme)scheme.Tag!, scale);
    }

    private void NotAllowed(BoundLayer layer, string label, Text.SourceSpan span, string what, string why)
    {
        var kind = layer.Kind switch { LayerKind.Input => "Input", LayerKind.Hidden => "Hidden", _ => "Output" };
        _context.Report(DiagnosticCatalog.NotAllowedOnLayer, span, kind, label, what, why);
    }
}
