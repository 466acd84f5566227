using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>Binds one network block into a <see cref="NetworkModel"/>, reporting everything wrong with it.</summary>
internal sealed class NetworkBinder
{
    private readonly BindingContext _context;

    public NetworkBinder(BindingContext context) => _context = context;

    /// <summary>The model, or null when the network has errors (they are reported).</summary>
    public NetworkModel? Bind(NetworkDeclarationSyntax network, string? @namespace, string filePath)
    {
        var errorsBefore = CountErrors();
        var name = network.Name.Text;
        new NameChecks(_context).CheckNetworkName(network.Name);

        // Layers, in declaration order; the first declaration of a name is the one references resolve to.
        var layerSpace = new List<SearchParameter>();
        var layerBinder = new LayerBinder(_context);
        var layers = new List<BoundLayer>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinct = new List<BoundLayer>();
        foreach (var statement in network.Statements.OfType<LayerDeclarationSyntax>())
        {
            var layer = layerBinder.Bind(statement, layers.Count, layerSpace);
            layers.Add(layer);
            if (!layer.HasName) continue;
            if (byName.TryGetValue(layer.Name, out var first))
            {
                _context.Report(DiagnosticCatalog.DuplicateLayer, layer.NameSpan, layer.Name, name, layers[first].Syntax.Name.Span.StartLine + 1);
                continue;
            }
            byName.Add(layer.Name, layer.Index);
            distinct.Add(layer);
        }
        new NameChecks(_context).CheckLayerNames(distinct, name);

        // Statements: one loss, one optimizer, any number of train statements (merged).
        var lossSpace = new List<SearchParameter>();
        var optimizerSpace = new List<SearchParameter>();
        var trainSpace = new List<SearchParameter>();
        var lossStatement = Single<LossStatementSyntax>(network, "loss");
        var optimizerStatement = Single<OptimizerStatementSyntax>(network, "optimizer");
        var loss = new LossBinder(_context).Bind(lossStatement, lossSpace);
        var optimizerBinder = new OptimizerBinder(_context);
        var optimizer = optimizerBinder.Bind(optimizerStatement, optimizerSpace);
        var training = new TrainingBinder(_context).Bind(network.Statements.OfType<TrainStatementSyntax>(), trainSpace);

        // The graph: sources, targets, cycles, order, unused layers.
        var graph = new LayerGraph(_context, layers, byName, name);
        graph.ResolveSources();
        graph.ResolveTargets();
        graph.FindCycles();
        // Unused-layer warnings after a broken reference would only echo the error.
        if (CountErrors() == errorsBefore) graph.ReportUnused();

        var checks = new NetworkChecks(_context, layers, network);
        checks.CheckInputsAndOutputs();
        checks.CheckTargets();
        new TieChecks(_context, layers, byName, name).Check();
        if (loss is not null) checks.CheckLossPairs(loss);
        checks.CheckTrainingLints(training);
        if (optimizer?.Schedule is { } schedule && optimizerBinder.ScheduleSyntax is { } scheduleSyntax)
            checks.CheckScheduleLints(schedule, scheduleSyntax, training.Model);
        checks.CheckActivationLints();

        // Anything broken was reported (here or by the parser); a model is only built from a whole network.
        if (CountErrors() > errorsBefore || graph.HasCycle || loss is null || optimizer is null || network.Name.IsMissing
            || layers.Any(l => l.Width is null || !l.HasName))
            return null;

        var models = graph.TopologicalOrder().Select(i => ToModel(layers[i], layers)).ToEquatableArray();
        var space = layerSpace.Concat(lossSpace).Concat(optimizerSpace).Concat(trainSpace).ToEquatableArray();
        var model = new NetworkModel(name, @namespace, models, loss.Model, optimizer, training.Model, space, string.Empty, filePath, network.Keyword.Span.StartLine);
        return model with { SourceHash = SourceHasher.Hash(model) };
    }

    private int CountErrors() => _context.Diagnostics.ErrorCount;

    private T? Single<T>(NetworkDeclarationSyntax network, string keyword) where T : StatementSyntax
    {
        T? first = null;
        foreach (var statement in network.Statements.OfType<T>())
        {
            if (first is null) first = statement;
            else _context.Report(DiagnosticCatalog.DuplicateStatement, statement.Keyword.Span, network.Name.Text, keyword);
        }
        return first;
    }

    private static LayerModel ToModel(BoundLayer layer, IReadOnlyList<BoundLayer> layers) => new(
        layer.Name,
        layer.Kind,
        layer.Width!,
        layer.Sparse,
        layer.Activation,
        layer.Sources.Select(i => layers[i].Name).ToEquatableArray(),
        layer.Target is { } target ? layers[target].Name : null,
        layer.Dropout,
        layer.Init,
        layer.BiasInit,
        layer.MaxNorm,
        layer.Syntax.Keyword.Span.StartLine,
        layer.BatchNorm) { Tied = layer.Tied };
}
