using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Lowering;

/// <summary>
/// Lowers a bound <see cref="NetworkModel"/> to its <see cref="KernelPlan"/>: per non-input layer the fused forward,
/// backward and output kernels, and the optimizer update. Pure and deterministic.
/// </summary>
public static class NetworkLowering
{
    /// <summary>Builds the kernel plan.</summary>
    /// <exception cref="InvalidOperationException">The model breaks an invariant the binder guarantees (a source or
    /// target naming no layer, an input as a source of nothing…): a bug upstream, reported with the layer's name.</exception>
    public static KernelPlan Lower(NetworkModel network)
    {
        var layers = network.Layers;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            if (index.ContainsKey(layers[i].Name))
                throw new InvalidOperationException($"Network '{network.Name}' declares layer '{layers[i].Name}' twice.");
            index.Add(layers[i].Name, i);
        }

        var hasPenalty = network.Training.SparsenessPenalty is not null;
        var plans = new List<LayerPlan>();
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.Kind == LayerKind.Input) continue;
            plans.Add(LowerLayer(network, layer, i, index, hasPenalty));
        }

        return new KernelPlan(network.Name, plans.ToEquatableArray(), UpdateLowering.Lower(network.Optimizer));
    }

    /// <summary>True when the layer declares dropout (a non-zero or tunable probability).</summary>
    public static bool HasDropout(LayerModel layer) => layer.Dropout.IsTuned || layer.Dropout.Value != 0;

    /// <summary>True when the optimizer keeps a velocity and reads its momentum (momentum, nesterov, sgd with a momentum argument).</summary>
    public static bool HasMomentum(OptimizerModel optimizer) => UpdateLowering.HasMomentum(optimizer);

    private static LayerPlan LowerLayer(NetworkModel network, LayerModel layer, int layerIndex, Dictionary<string, int> index, bool hasPenalty)
    {
        if (layer.Sources.Count == 0)
            throw new InvalidOperationException($"Layer '{layer.Name}' of network '{network.Name}' has no source.");

        var edges = new List<EdgePlan>();
        foreach (var source in layer.Sources)
        {
            if (!index.TryGetValue(source, out var sourceIndex))
                throw new InvalidOperationException($"Layer '{layer.Name}' of network '{network.Name}' names unknown source '{source}'.");
            var from = network.Layers[sourceIndex];
            var kind = from.Kind == LayerKind.Input && from.Sparse ? EdgeKind.SparseGather : EdgeKind.DenseGemm;
            edges.Add(new EdgePlan(source, sourceIndex, kind) { TiedOwnerSource = layer.Tied is { } tie && tie.Target == source ? tie.Source : null });
        }

        var activation = ActivationLowering.Lower(layer.Activation);
        var dropout = HasDropout(layer);
        var forward = new ForwardPlan(edges.ToEquatableArray(), HasBias: true, activation, dropout);

        if (layer.Kind == LayerKind.Hidden)
        {
            return new LayerPlan(layer.Name, layerIndex, LayerRole.Hidden, forward, new BackwardPlan(hasPenalty, dropout), Output: null, layer.Line);
        }

        var target = layer.Target
            ?? throw new InvalidOperationException($"Output layer '{layer.Name}' of network '{network.Name}' has no target.");
        if (!index.ContainsKey(target))
            throw new InvalidOperationException($"Output layer '{layer.Name}' of network '{network.Name}' targets unknown layer '{target}'.");
        var output = LossLowering.Lower(network.Loss.Kind, activation, layer.Sparse, target);
        return new LayerPlan(layer.Name, layerIndex, LayerRole.Output, forward, Backward: null, output, layer.Line);
    }
}
