using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>A model built from a spec and kernels directly (what generated classes do through their constructor).</summary>
internal sealed class TestModel(NetworkSpec spec, KernelSet kernels, DeviceGroup? devices = null) : Model(spec, kernels, devices);

/// <summary>Builds specs and kernel sets for tests, choosing the ops structs from enum values by reflection.</summary>
internal static class TestNetworks
{
    public static Type ActivationType(ActivationKind kind) => kind switch
    {
        ActivationKind.Sigmoid => typeof(Sigmoid),
        ActivationKind.Tanh => typeof(Tanh),
        ActivationKind.Relu => typeof(Relu),
        ActivationKind.LeakyRelu => typeof(LeakyRelu),
        ActivationKind.Elu => typeof(Elu),
        ActivationKind.Selu => typeof(Selu),
        ActivationKind.Softplus => typeof(Softplus),
        ActivationKind.Softsign => typeof(Softsign),
        ActivationKind.Softmax => typeof(Softmax),
        ActivationKind.Linear => typeof(Linear),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static Type LossType(LossKind kind, ActivationKind output) => kind switch
    {
        LossKind.L1 => typeof(L1),
        LossKind.L2 => typeof(L2),
        LossKind.CrossEntropy => output == ActivationKind.Softmax ? typeof(MultinomialCrossEntropy) : typeof(CrossEntropy),
        LossKind.ScaledMarginalCrossEntropy => typeof(ScaledMarginalCrossEntropy),
        LossKind.DataScaledMarginalCrossEntropy => typeof(DataScaledMarginalCrossEntropy),
        LossKind.Hinge => typeof(Hinge),
        LossKind.L2Hinge => typeof(L2Hinge),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The activation parameters the test formulas hard-code (leaky slope 0.1, elu alpha 1, selu constants).</summary>
    public static ActivationSpec Activation(ActivationKind kind) => kind switch
    {
        ActivationKind.LeakyRelu => new(kind, Slope: 0.1f),
        ActivationKind.Selu => new(kind, Alpha: 1.6732632423543772f, Lambda: 1.0507009873554805f),
        _ => new(kind),
    };

    public static KernelSet KernelsFor(NetworkSpec spec, Type updateRule, bool penalty = false)
    {
        var layers = spec.Layers.Select(l => l.Kind switch
        {
            LayerKind.Input => (LayerKernels?)null,
            LayerKind.Hidden => (LayerKernels)Activator.CreateInstance(typeof(HiddenLayerKernels<>).MakeGenericType(
                typeof(HiddenOps<,>).MakeGenericType(ActivationType(l.Activation.Kind), Flags(l.Dropout > 0, penalty))))!,
            _ => (LayerKernels)Activator.CreateInstance(typeof(OutputLayerKernels<>).MakeGenericType(
                typeof(OutputOps<,>).MakeGenericType(ActivationType(l.Activation.Kind), LossType(spec.Loss.Kind, l.Activation.Kind))))!,
        }).ToArray();
        var update = (UpdateKernels)Activator.CreateInstance(typeof(UpdateKernels<>).MakeGenericType(updateRule))!;
        return new KernelSet(layers, update);
    }

    private static Type Flags(bool dropout, bool penalty) => (dropout, penalty) switch
    {
        (false, false) => typeof(Plain),
        (true, false) => typeof(WithDropout),
        (false, true) => typeof(WithPenalty),
        _ => typeof(WithBoth),
    };

    public static LayerSpec Input(string name, int width, bool sparse, float dropout = 0f)
        => new(name, LayerKind.Input, width, sparse, default, Array.Empty<string>(), null, dropout, default, 0f, 0f);

    public static LayerSpec Hidden(string name, int width, ActivationKind act, string[] sources, float dropout = 0f, InitSpec? init = null, float bias = 0f, float maxNorm = 0f)
        => new(name, LayerKind.Hidden, width, false, Activation(act), sources, null, dropout, init ?? new InitSpec(InitScheme.Gaussian, 0.5f), bias, maxNorm);

    public static LayerSpec Output(string name, int width, ActivationKind act, string[] sources, string target, bool sparse, InitSpec? init = null, float bias = 0f)
        => new(name, LayerKind.Output, width, sparse, Activation(act), sources, target, 0f, init ?? new InitSpec(InitScheme.Gaussian, 0.5f), bias, 0f);

    public static NetworkSpec Network(IReadOnlyList<LayerSpec> layers, LossSpec loss, OptimizerSpec? optimizer = null, int batch = 8, int epochs = 1,
        bool shuffle = false, ulong seed = 7, float denoising = 0f, float sparsenessP = 0.5f, float sparsenessBeta = 0f)
        => new("TestNetwork", "test", layers, loss, optimizer ?? new OptimizerSpec(OptimizerKind.Sgd, 0.1f),
            new TrainingSpec(batch, epochs, denoising, shuffle, seed, sparsenessP, sparsenessBeta));

    /// <summary>A random sparse indicator matrix with 1..maxPerRow entries per row.</summary>
    public static SparseMatrix RandomSparse(int rows, int columns, int maxPerRow, int seed, bool values = false)
    {
        var random = new Random(seed);
        var offsets = new long[rows + 1];
        var indices = new List<int>();
        var vals = new List<float>();
        for (var r = 0; r < rows; r++)
        {
            var count = random.Next(1, Math.Min(maxPerRow, columns) + 1);
            var set = new SortedSet<int>();
            while (set.Count < count) set.Add(random.Next(columns));
            foreach (var c in set)
            {
                indices.Add(c);
                vals.Add((float)(0.5 + random.NextDouble()));
            }
            offsets[r + 1] = indices.Count;
        }
        return new SparseMatrix(rows, columns, offsets, indices.ToArray(), values ? vals.ToArray() : null);
    }

    public static DenseMatrix RandomDense(int rows, int columns, int seed, bool unitInterval = false)
    {
        var random = new Random(seed);
        var m = new DenseMatrix(rows, columns);
        for (var i = 0; i < m.Data.Length; i++) m.Data[i] = unitInterval ? (float)random.NextDouble() : (float)((random.NextDouble() * 2) - 1);
        return m;
    }

    public static double[,] Densify(SparseMatrix m)
    {
        var d = new double[m.Rows, m.Columns];
        for (var r = 0; r < m.Rows; r++)
        {
            var cols = m.RowIndices(r);
            var vals = m.RowValues(r);
            for (var i = 0; i < cols.Length; i++) d[r, cols[i]] = vals.IsEmpty ? 1 : vals[i];
        }
        return d;
    }

    public static double[,] ToDouble(DenseMatrix m)
    {
        var d = new double[m.Rows, m.Columns];
        for (var r = 0; r < m.Rows; r++)
            for (var c = 0; c < m.Columns; c++) d[r, c] = m.Data[(r * m.Columns) + c];
        return d;
    }

    /// <summary>The model's weights as the reference wants them: W[in, out] per edge and biases per layer.</summary>
    public static (Dictionary<(string, string), double[,]> Weights, Dictionary<string, double[]> Biases) Parameters(Model model)
    {
        var weights = new Dictionary<(string, string), double[,]>();
        var biases = new Dictionary<string, double[]>();
        foreach (var l in model.Spec.Layers.Where(l => l.Kind != LayerKind.Input))
        {
            biases[l.Name] = model.GetBias(l.Name).Select(v => (double)v).ToArray();
            foreach (var s in l.Sources)
            {
                var w = model.GetWeights(l.Name, s);   // [out, in]
                var d = new double[w.Columns, w.Rows];
                for (var o = 0; o < w.Rows; o++)
                    for (var i = 0; i < w.Columns; i++) d[i, o] = w.Data[(o * w.Columns) + i];
                weights[(l.Name, s)] = d;
            }
        }
        return (weights, biases);
    }
}
