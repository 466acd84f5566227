using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Engine;

/// <summary>
/// Per-example weights w_b (<see cref="NetworkData.WithExampleWeights"/>): validated on the way in, bit-identical
/// to unweighted training when every weight is 1, and a weight of 0 takes a row out of the loss and the gradient.
/// The gradients against the float64 reference are in <see cref="GradientCheckTests"/>, the shard counts in
/// <see cref="ShardEquivalenceTests"/>.
/// </summary>
public sealed class ExampleWeightsTests
{
    private const int Rows = 30;

    public static TheoryData<string, int> BitIdentityCases => new()
    {
        { "sparse sigmoid autoencoder (delta fused into the product)", 1 },
        { "sparse sigmoid autoencoder (delta fused into the product)", 2 },
        { "softmax + cross entropy (separate delta pass)", 1 },
        { "softmax + cross entropy (separate delta pass)", 3 },
        { "dense targets", 1 },
    };

    private static (NetworkSpec Spec, Type Rule, NetworkData Data) Case(string name) => name switch
    {
        "sparse sigmoid autoencoder (delta fused into the product)" => (
            Network(
                new[] { Input("items", 19, sparse: true), Hidden("h1", 7, ActivationKind.Tanh, new[] { "items" }, dropout: 0.1f), Output("scores", 19, ActivationKind.Sigmoid, new[] { "h1" }, "items", sparse: true) },
                new LossSpec(LossKind.ScaledMarginalCrossEntropy), new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f), batch: 7, shuffle: true),
            typeof(RmsPropRule),
            new NetworkData().Add("items", RandomSparse(Rows, 19, 5, 3))),
        "softmax + cross entropy (separate delta pass)" => (
            Network(
                new[] { Input("items", 17, sparse: true), Hidden("h1", 6, ActivationKind.Relu, new[] { "items" }), Output("scores", 17, ActivationKind.Softmax, new[] { "h1" }, "items", sparse: true) },
                new LossSpec(LossKind.CrossEntropy), new OptimizerSpec(OptimizerKind.Sgd, 0.05f), batch: 8, shuffle: true),
            typeof(PlainSgd),
            new NetworkData().Add("items", RandomSparse(Rows, 17, 4, 4, values: true))),
        _ => (
            Network(
                new[] { Input("x", 5, sparse: false), Hidden("h", 6, ActivationKind.Sigmoid, new[] { "x" }), Output("y", 5, ActivationKind.Sigmoid, new[] { "h" }, "x", sparse: false) },
                new LossSpec(LossKind.L2), new OptimizerSpec(OptimizerKind.RmsProp, 0.01f, Decay: 0.9f), batch: 8, shuffle: true),
            typeof(RmsPropRule),
            new NetworkData().Add("x", RandomDense(Rows, 5, 5, unitInterval: true))),
    };

    private static NetworkData Copy(NetworkData data)
    {
        var copy = new NetworkData();
        foreach (var layer in data.Layers)
        {
            if (data.Sparse(layer) is { } sparse) copy.Add(layer, sparse); else copy.Add(layer, data.Dense(layer)!);
        }
        return copy;
    }

    [Theory]
    [MemberData(nameof(BitIdentityCases))]
    public void WeightsOfOneTrainBitForBitLikeNoWeights(string name, int shards)
    {
        var (spec, rule, data) = Case(name);
        var weighted = Copy(data).WithExampleWeights(Enumerable.Repeat(1f, Rows).ToArray());
        var (plainLosses, plainParameters, plainEval) = Train(spec, rule, data, shards);
        var (weightedLosses, weightedParameters, weightedEval) = Train(spec, rule, weighted, shards);
        Assert.Equal(plainLosses.Count, weightedLosses.Count);
        for (var i = 0; i < plainLosses.Count; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(plainLosses[i]) == BitConverter.DoubleToInt64Bits(weightedLosses[i]), $"{name}, step {i}: {weightedLosses[i]:R} vs {plainLosses[i]:R}");
        Assert.Equal(BitConverter.DoubleToInt64Bits(plainEval), BitConverter.DoubleToInt64Bits(weightedEval));
        Assert.Equal(plainParameters.Length, weightedParameters.Length);
        for (var i = 0; i < plainParameters.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(plainParameters[i]) == BitConverter.SingleToInt32Bits(weightedParameters[i]), $"{name}: parameter {i}: {weightedParameters[i]:R} vs {plainParameters[i]:R}");
    }

    [Theory]
    [InlineData("sparse sigmoid autoencoder (delta fused into the product)")]
    [InlineData("softmax + cross entropy (separate delta pass)")]
    [InlineData("dense targets")]
    public void AZeroWeightTakesTheRowOutOfTheLossAndTheGradient(string name)
    {
        const int dropped = 4;
        var (spec, _, data) = Case(name);
        // No dropout: its mask is keyed by the position in the batch, which removing a row shifts.
        spec = spec with { Training = spec.Training with { Shuffle = false }, Layers = spec.Layers.Select(l => l with { Dropout = 0f }).ToArray() };
        var weights = Enumerable.Range(0, Rows).Select(r => r == dropped ? 0f : 1f).ToArray();
        var kept = Enumerable.Range(0, Rows).Where(r => r != dropped).ToArray();
        var without = new NetworkData();
        foreach (var layer in data.Layers)
        {
            if (data.Sparse(layer) is { } sparse) without.Add(layer, sparse.SelectRows(kept));
            else without.Add(layer, SelectRows(data.Dense(layer)!, kept));
        }
        var weighted = Copy(data).WithExampleWeights(weights);

        // The loss: Σ_b w_b ℓ_b / B, so B·loss is the sum over the other rows.
        using (var model = new TestModel(spec, KernelsFor(spec, typeof(CaptureGradient))))
        {
            var withZero = model.Loss(weighted) * Rows;
            var excluded = model.Loss(without) * (Rows - 1);
            Assert.True(Math.Abs(withZero - excluded) <= 1e-6 * Math.Abs(excluded), $"{name}: {withZero} vs {excluded} without the row");
            Assert.True(Math.Abs((model.Loss(data) * Rows) - excluded) > 1e-4 * Math.Abs(excluded), $"{name}: the dropped row contributes nothing even unweighted");
        }

        // The gradient of one whole-data batch: (1/B) Σ_b w_b ∇ℓ_b, so B·g is the sum over the other rows.
        var gWeighted = Gradient(spec, weighted, Rows);
        var gWithout = Gradient(spec, without, Rows - 1);
        foreach (var (key, g) in gWeighted)
        {
            var other = gWithout[key];
            for (var i = 0; i < g.Length; i++)
            {
                var expected = other[i] * (Rows - 1);
                var actual = g[i] * Rows;
                Assert.True(Math.Abs(expected - actual) <= 1e-5 + (1e-4 * Math.Abs(expected)), $"{name}: {key} [{i}]: {actual} vs {expected} without the row");
            }
        }
    }

    /// <summary>
    /// The weights follow the rows through the shuffle, the batches and the shards: with the parameters frozen, every
    /// step's reported loss is Σ w_r ℓ_r / B over the rows the epoch's order put in that batch (ℓ_r from each row alone).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EachStepsLossWeighsTheRowsOfItsShuffledBatch(int shards)
    {
        var (spec, _, data) = Case("sparse sigmoid autoencoder (delta fused into the product)");
        spec = spec with { Layers = spec.Layers.Select(l => l with { Dropout = 0f }).ToArray() };
        var matrix = data.Sparse("items")!;
        var random = new Random(21);
        var weights = Enumerable.Range(0, Rows).Select(_ => (float)(random.NextDouble() * 3)).ToArray();
        using var model = new TestModel(spec, KernelsFor(spec, typeof(Frozen)), DeviceGroup.Cpu(shards));
        var rowLoss = Enumerable.Range(0, Rows).Select(r => model.Loss(new NetworkData().Add("items", matrix.SelectRows(new[] { r })))).ToArray();
        var losses = new List<double>();
        model.Train(Copy(data).WithExampleWeights(weights), new TrainingOptions { Epochs = 2 }, new SynchronousProgress(p => losses.Add(p.Loss)));
        var batch = spec.Training.Batch;
        var step = 0;
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var order = EpochOrder.Of(Rows, shuffle: true, spec.Training.Seed, epoch);
            Assert.NotEqual(Enumerable.Range(0, Rows), order);
            for (var first = 0; first < Rows; first += batch, step++)
            {
                var rows = order.Skip(first).Take(batch).ToArray();
                var expected = rows.Sum(r => weights[r] * rowLoss[r]) / rows.Length;
                Assert.True(Math.Abs(losses[step] - expected) <= 1e-6 * expected, $"{shards} shard(s), epoch {epoch}, step {step}: {losses[step]} vs {expected}");
            }
        }
        Assert.Equal(step, losses.Count);
    }

    /// <summary>Leaves every parameter as it is, so each step sees the initial network.</summary>
    private readonly struct Frozen : Runtime.Kernels.Fusion.IUpdateRule
    {
        public static int StateCount => 0;

        public static void Update<TV>(ref TV w, TV g, ref TV s1, ref TV s2, in Runtime.Kernels.Fusion.UpdateContext c) where TV : struct, Runtime.Kernels.Simd.ISimd<TV>
        {
        }
    }

    /// <summary>
    /// Valued data end to end: DSSTNE text with values (KeepValues) into a data_scaled autoencoder with example
    /// weights; the loss of Model.Loss and Model.Evaluate is the float64 reference's on the same values and weights,
    /// and differs from the loss on the same file loaded as indicators.
    /// </summary>
    [Fact]
    public void DsstneTextValuesAndWeightsReachTheDataScaledLoss()
    {
        using var dir = new Data.TempDirectory();
        var path = dir.File("ratings.txt", "u1\ta,5:b,1:c,3\nu2\tb,4\nu3\tc,2:d,5:a\nu4\td,0.5:e,2\nu5\ta,1:e,4:b,2.5\n");
        var valued = Runtime.Data.DsstneText.Load(path, new Runtime.Data.DsstneTextOptions { KeepValues = true }).Matrix;
        var indicators = Runtime.Data.DsstneText.Load(path).Matrix;
        Assert.Equal(3f, valued.ValueAt(0, 2));
        Assert.Equal(1f, valued.ValueAt(2, 0));   // a point without a value counts as 1
        var weights = new[] { 1f, 0.5f, 2f, 0f, 1.5f };
        var spec = Network(
            new[] { Input("items", valued.Columns, sparse: true), Hidden("h", 3, ActivationKind.Tanh, new[] { "items" }), Output("scores", valued.Columns, ActivationKind.Sigmoid, new[] { "h" }, "items", sparse: true) },
            new LossSpec(LossKind.DataScaledMarginalCrossEntropy, 0.9f, 0.1f, 1f, 1f), batch: 2);
        using var model = new TestModel(spec, KernelsFor(spec, typeof(PlainSgd)));
        var (w, b) = Parameters(model);
        var expected = new ReferenceNetwork(spec, w, b) { ExampleWeights = weights.Select(x => (double)x).ToArray() }.DataLoss(new() { ["items"] = Densify(valued) });
        var data = new NetworkData().Add("items", valued).WithExampleWeights(weights);
        var actual = model.Loss(data);
        Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Abs(expected), $"loss {actual} vs reference {expected}");
        var evaluated = model.Evaluate(data, valued, k: 2).Loss;
        Assert.True(Math.Abs(expected - evaluated) <= 1e-5 * Math.Abs(expected), $"evaluation loss {evaluated} vs reference {expected}");
        var asIndicators = model.Loss(new NetworkData().Add("items", indicators).WithExampleWeights(weights));
        Assert.True(Math.Abs(asIndicators - actual) > 1e-3 * Math.Abs(actual), $"the values changed nothing: {actual} vs {asIndicators}");
    }

    [Fact]
    public void InvalidWeightsAreRejectedNamingTheRow()
    {
        var data = new NetworkData().Add("items", RandomSparse(4, 5, 2, 1));
        var e = Assert.Throws<ArgumentException>(() => new NetworkData().Add("items", RandomSparse(4, 5, 2, 1)).WithExampleWeights(new[] { 1f, 1f, 1f }));
        Assert.Contains("3 example weights but the data has 4 rows", e.Message);
        e = Assert.Throws<ArgumentException>(() => new NetworkData().Add("items", RandomSparse(4, 5, 2, 1)).WithExampleWeights(new[] { 1f, 1f, float.NaN, 1f }));
        Assert.Contains("row 2", e.Message);
        Assert.Contains("finite", e.Message);
        e = Assert.Throws<ArgumentException>(() => new NetworkData().Add("items", RandomSparse(4, 5, 2, 1)).WithExampleWeights(new[] { 1f, 1f, 1f, float.PositiveInfinity }));
        Assert.Contains("row 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => new NetworkData().Add("items", RandomSparse(4, 5, 2, 1)).WithExampleWeights(new[] { 1f, -0.5f, 1f, 1f }));
        Assert.Contains("row 1", e.Message);
        Assert.Contains("≥ 0", e.Message);
        Assert.Throws<InvalidOperationException>(() => new NetworkData().WithExampleWeights(new[] { 1f }));
        data.WithExampleWeights(new[] { 1f, 2f, 0f, 1f });
        Assert.Throws<InvalidOperationException>(() => data.WithExampleWeights(new[] { 1f, 2f, 0f, 1f }));
        Assert.Throws<ArgumentException>(() => data.Add("other", RandomSparse(3, 5, 2, 1)));
    }

    [Fact]
    public void TheWeightsAreCopied()
    {
        var weights = new[] { 1f, 2f, 0f, 1f };
        var data = new NetworkData().Add("items", RandomSparse(4, 5, 2, 1)).WithExampleWeights(weights);
        weights[1] = 7f;
        Assert.Equal(new[] { 1f, 2f, 0f, 1f }, data.ExampleWeights!);
    }

    private static DestinyDsl.Runtime.Data.DenseMatrix SelectRows(DestinyDsl.Runtime.Data.DenseMatrix m, int[] rows)
    {
        var values = new float[rows.Length * m.Columns];
        for (var r = 0; r < rows.Length; r++) m.Row(rows[r]).CopyTo(values.AsSpan(r * m.Columns, m.Columns));
        return new DestinyDsl.Runtime.Data.DenseMatrix(rows.Length, m.Columns, values);
    }

    /// <summary>The mean gradient of every bias and of every weight whose source is not a sparse input (one batch of all rows).</summary>
    private static Dictionary<string, float[]> Gradient(NetworkSpec spec, NetworkData data, int batch)
    {
        using var model = new TestModel(spec, KernelsFor(spec, typeof(CaptureGradient)));
        model.Train(data, new TrainingOptions { Epochs = 1, Batch = batch });
        var result = new Dictionary<string, float[]>();
        foreach (var l in spec.Layers.Where(l => l.Kind != LayerKind.Input))
        {
            result[$"b {l.Name}"] = model.GetBias(l.Name).ToArray();
            foreach (var s in l.Sources.Where(s => !(spec[s].Kind == LayerKind.Input && spec[s].Sparse)))
                result[$"W {s}→{l.Name}"] = model.GetWeights(l.Name, s).Data.ToArray();
        }
        return result;
    }

    private static (List<double> Losses, float[] Parameters, double Evaluation) Train(NetworkSpec spec, Type rule, NetworkData data, int shards)
    {
        using var model = new TestModel(spec, KernelsFor(spec, rule), DeviceGroup.Cpu(shards));
        var losses = new List<double>();
        model.Train(data, new TrainingOptions { Epochs = 3 }, new SynchronousProgress(p => losses.Add(p.Loss)));
        var parameters = new List<float>();
        foreach (var l in spec.Layers.Where(l => l.Kind != LayerKind.Input))
        {
            parameters.AddRange(model.GetBias(l.Name));
            foreach (var s in l.Sources) parameters.AddRange(model.GetWeights(l.Name, s).Data);
        }
        return (losses, parameters.ToArray(), model.Loss(data));
    }
}
