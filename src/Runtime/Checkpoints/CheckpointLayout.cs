using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Checkpoints;

/// <summary>One tensor of a model checkpoint: what it holds and the shape it must have.</summary>
/// <param name="Edge">The edge for a weight tensor, else -1.</param>
/// <param name="Layer">The layer for a bias tensor, else -1.</param>
/// <param name="Part">0 = the parameters, 1 and 2 = the optimizer's state tensors for them.</param>
/// <param name="Units">For a per-unit tensor: which (the bias, or batch norm's γ, β, running statistics).</param>
/// <param name="IsStepCounter">
/// Batch norm's <c>num_batches_tracked</c>: an I64 scalar written from the model's step (one training batch per step),
/// for PyTorch; loading takes the step from the metadata and does not read it.
/// </param>
internal sealed record CheckpointTensor(string Name, int Edge, int Layer, int Part, long[] Shape, UnitTensor Units = UnitTensor.Bias, bool IsStepCounter = false);

/// <summary>
/// Which tensors a checkpoint of a network holds, named as PyTorch's <c>nn.Linear</c> would have them:
/// <c>&lt;layer&gt;.weight</c> [out, in] (<c>&lt;layer&gt;.&lt;source&gt;.weight</c> for a layer with several sources),
/// <c>&lt;layer&gt;.bias</c> [out], a batch-normed layer's <c>nn.BatchNorm1d</c> as the child <c>bn</c>
/// (<c>&lt;layer&gt;.bn.weight</c>, <c>.bn.bias</c>, <c>.bn.running_mean</c>, <c>.bn.running_var</c>,
/// <c>.bn.num_batches_tracked</c>), and the optimizer state under PyTorch's state names
/// (<c>optimizer.&lt;tensor&gt;.square_avg</c> …).
/// </summary>
internal static class CheckpointLayout
{
    public const string Format = "destinydsl.checkpoint.v1";

    public static IReadOnlyList<CheckpointTensor> Of(NetworkPlan plan, int stateCount)
    {
        var spec = plan.Spec;
        var tensors = new List<CheckpointTensor>();
        for (var layer = 0; layer < spec.Layers.Count; layer++)
        {
            var l = spec.Layers[layer];
            if (l.Kind == LayerKind.Input) continue;
            foreach (var e in plan.Incoming[layer])
            {
                if (plan.Edges[e].IsTied) continue; // stored once, under its owner's name (see Ties)
                var source = spec.Layers[plan.Edges[e].Source];
                var name = WeightName(plan, e);
                var shape = new long[] { l.Width, source.Width };
                tensors.Add(new CheckpointTensor(name, e, -1, 0, shape));
                for (var s = 1; s <= stateCount; s++) tensors.Add(new CheckpointTensor($"optimizer.{name}.{StateName(spec.Optimizer.Kind, s)}", e, -1, s, shape));
            }
            var biasName = $"{l.Name}.bias";
            tensors.Add(new CheckpointTensor(biasName, -1, layer, 0, new long[] { l.Width }));
            for (var s = 1; s <= stateCount; s++) tensors.Add(new CheckpointTensor($"optimizer.{biasName}.{StateName(spec.Optimizer.Kind, s)}", -1, layer, s, new long[] { l.Width }));
            if (l.BatchNorm is not null) AddBatchNorm(tensors, spec, layer, stateCount);
        }
        return tensors;
    }

    /// <summary>The tensor name of an edge's weights: <c>&lt;layer&gt;.weight</c>, or <c>&lt;layer&gt;.&lt;source&gt;.weight</c> when the layer has several sources.</summary>
    public static string WeightName(NetworkPlan plan, int edge)
    {
        var e = plan.Edges[edge];
        var l = plan.Layer(e.Target);
        return l.Sources.Count == 1 ? $"{l.Name}.weight" : $"{l.Name}.{plan.Layer(e.Source).Name}.weight";
    }

    /// <summary>
    /// The ties, as the checkpoint's <c>tied</c> metadata states them (<c>scores.weight = h1.weight^T</c>, separated
    /// by "; "): a tied edge has no tensor of its own. Empty for a network without ties.
    /// </summary>
    public static string Ties(NetworkPlan plan) => string.Join("; ",
        plan.Edges.Where(e => e.IsTied).Select(e => $"{WeightName(plan, e.Index)} = {WeightName(plan, e.Owner)}^T"));

    /// <summary>The layer's <c>nn.BatchNorm1d</c> state dict under the child name <c>bn</c>, γ and β with optimizer state.</summary>
    private static void AddBatchNorm(List<CheckpointTensor> tensors, NetworkSpec spec, int layer, int stateCount)
    {
        var l = spec.Layers[layer];
        var shape = new long[] { l.Width };
        foreach (var (suffix, units) in new[] { ("weight", UnitTensor.NormWeight), ("bias", UnitTensor.NormBias) })
        {
            var name = $"{l.Name}.bn.{suffix}";
            tensors.Add(new CheckpointTensor(name, -1, layer, 0, shape, units));
            for (var s = 1; s <= stateCount; s++) tensors.Add(new CheckpointTensor($"optimizer.{name}.{StateName(spec.Optimizer.Kind, s)}", -1, layer, s, shape, units));
        }
        tensors.Add(new CheckpointTensor($"{l.Name}.bn.running_mean", -1, layer, 0, shape, UnitTensor.RunningMean));
        tensors.Add(new CheckpointTensor($"{l.Name}.bn.running_var", -1, layer, 0, shape, UnitTensor.RunningVar));
        tensors.Add(new CheckpointTensor($"{l.Name}.bn.num_batches_tracked", -1, layer, 0, Array.Empty<long>(), IsStepCounter: true));
    }

    /// <summary>PyTorch's names for the optimizer state tensors.</summary>
    public static string StateName(OptimizerKind kind, int state) => (kind, state) switch
    {
        (OptimizerKind.Sgd or OptimizerKind.Momentum or OptimizerKind.Nesterov, 1) => "momentum_buffer",
        (OptimizerKind.AdaGrad, 1) => "sum",
        (OptimizerKind.RmsProp, 1) => "square_avg",
        (OptimizerKind.AdaDelta, 1) => "square_avg",
        (OptimizerKind.AdaDelta, 2) => "acc_delta",
        (OptimizerKind.Adam, 1) => "exp_avg",
        (OptimizerKind.Adam, 2) => "exp_avg_sq",
        _ => $"state{state}",
    };
}
