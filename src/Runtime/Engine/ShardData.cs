using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// A dataset as one shard sees it: for each sparse input its feature slice, for each sparse output its target
/// slice (the same object when the ranges coincide, as in an autoencoder), dense matrices as they are.
/// Built once per (dataset, shard) and cached.
/// </summary>
internal sealed class ShardData
{
    private ShardData(int rows, SparseSlice?[] inputSlices, DenseMatrix?[] denseInputs, SparseSlice?[] targetSlices, DenseMatrix?[] denseTargets, SparseMatrix?[] fullSparse, float[]? exampleWeights)
    {
        Rows = rows;
        ExampleWeights = exampleWeights;
        InputSlices = inputSlices;
        DenseInputs = denseInputs;
        TargetSlices = targetSlices;
        DenseTargets = denseTargets;
        FullSparse = fullSparse;
    }

    public int Rows { get; }

    /// <summary>The weight of every example (row), or null when all are 1; every shard reads the same array.</summary>
    public float[]? ExampleWeights { get; }

    /// <summary>Per layer: the sparse input's slice for this shard's units.</summary>
    public SparseSlice?[] InputSlices { get; }

    /// <summary>Per layer: the dense input's matrix (all columns).</summary>
    public DenseMatrix?[] DenseInputs { get; }

    /// <summary>Per output layer: the sparse targets for this shard's units.</summary>
    public SparseSlice?[] TargetSlices { get; }

    /// <summary>Per output layer: dense targets (all columns).</summary>
    public DenseMatrix?[] DenseTargets { get; }

    /// <summary>Per layer: the whole sparse input (for "seen" filtering in recommendations).</summary>
    public SparseMatrix?[] FullSparse { get; }

    public static ShardData Build(NetworkPlan plan, UnitRange[] ranges, NetworkData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var spec = plan.Spec;
        var layers = spec.Layers;
        foreach (var bound in data.Layers)
        {
            var i = spec.IndexOf(bound);
            if (i < 0 || layers[i].Kind != LayerKind.Input)
                throw new ArgumentException($"The data binds '{bound}', which is not an input layer of '{spec.Name}' (inputs: {string.Join(", ", layers.Where(l => l.Kind == LayerKind.Input).Select(l => l.Name))}).", nameof(data));
        }
        var inputSlices = new SparseSlice?[layers.Count];
        var denseInputs = new DenseMatrix?[layers.Count];
        var fullSparse = new SparseMatrix?[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.Kind != LayerKind.Input) continue;
            var sparse = data.Sparse(layer.Name);
            var dense = data.Dense(layer.Name);
            if (sparse is null && dense is null) throw new ArgumentException($"Input layer '{layer.Name}' of '{spec.Name}' has no data bound.", nameof(data));
            if (layer.Sparse && sparse is null) throw new ArgumentException($"Input layer '{layer.Name}' is sparse but a dense matrix is bound to it.", nameof(data));
            if (!layer.Sparse && dense is null) throw new ArgumentException($"Input layer '{layer.Name}' is dense but a sparse matrix is bound to it.", nameof(data));
            var columns = sparse?.Columns ?? dense!.Columns;
            if (columns != layer.Width) throw new ArgumentException($"Input layer '{layer.Name}' has width {layer.Width} but its data has {columns} columns.", nameof(data));
            if (sparse is not null)
            {
                inputSlices[i] = SparseSlice.Of(sparse, ranges[i]);
                fullSparse[i] = sparse;
            }
            denseInputs[i] = dense;
        }
        var targetSlices = new SparseSlice?[layers.Count];
        var denseTargets = new DenseMatrix?[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var t = plan.Targets[i];
            if (t < 0) continue;
            if (fullSparse[t] is { } sparse)
            {
                targetSlices[i] = ranges[i] == ranges[t] ? inputSlices[t] : SparseSlice.Of(sparse, ranges[i]);
            }
            else
            {
                denseTargets[i] = denseInputs[t];
            }
        }
        return new ShardData(data.Rows, inputSlices, denseInputs, targetSlices, denseTargets, fullSparse, data.WeightArray);
    }
}
