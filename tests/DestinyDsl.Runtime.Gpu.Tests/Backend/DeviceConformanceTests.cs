using DestinyDsl.Distributed.Worker.Networks;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Gpu.Tests.Kernels;
using Xunit.Sdk;

namespace DestinyDsl.Runtime.Gpu.Tests.Backend;

/// <summary>
/// Every operation of the device interface, kernel by kernel, on the GPU device (generated ILGPU kernels on the
/// simulator) against the CPU device (generated SIMD kernels), from the same inputs on ragged shapes (7 rows, odd
/// widths, offsets ≠ 0, valued and binary sparse data, masks on and off). One abstract suite, run on both backends.
/// </summary>
[Collection(SimulatorCollection.Name)]
public sealed class DeviceConformanceTests : IDisposable
{
    private const int Rows = 7;
    private const int Items = 37;
    private readonly Random _random = new(77);
    private readonly List<Model> _models = new();
    private Runtime.Kernels.KernelSet? _kernels;

    public static TheoryData<string> Networks => new("SparseSgd", "SparseAdaGrad", "SparseRmsProp", "SparseAdaDelta", "SparseAdam", "SparseNesterov", "DenseSkip");

    public static TheoryData<string> ElementWiseOutputNetworks => new("SparseSgd", "SparseAdaGrad", "SparseRmsProp", "SparseAdaDelta", "SparseNesterov");

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_layer_kernel_matches_the_cpu(string network)
    {
        var (cpu, gpu, spec) = Devices(network);
        var loss = new LossParameters(0.9f, 0.1f, 1.5f, 0.5f);
        for (var layer = 0; layer < spec.Layers.Count; layer++)
        {
            var l = spec.Layers[layer];
            if (l.Kind == LayerKind.Input) continue;
            var n = l.Width;
            var what = $"{network}.{l.Name}";
            var mask = new DropoutMask(0x1234_5678_9abcUL + (ulong)layer, l.Dropout > 0 ? 0.3f : 0f, n + 5, 3);
            var bias = Values(n);

            // Forward epilogue.
            var z = Values(Rows * n, scale: 3);
            Same(what + " epilogue", cpu, gpu, z, (d, t) => d.Epilogue(layer, t, Rows, n, new LayerEpilogue(Upload(d, bias), mask)));

            // Sparse gather (+ fused epilogue where the device fuses it).
            if (spec.Layers.Any(s => s.Kind == LayerKind.Input && s.Sparse && l.Sources.Contains(s.Name)))
            {
                var w = Values(Items * (n + 4));
                foreach (var valued in new[] { false, true })
                {
                    var x = Batch(valued);
                    foreach (var fuse in new[] { false, true })
                    {
                        Same($"{what} sparse product{(valued ? " valued" : "")}{(fuse ? " fused" : "")}", cpu, gpu, Values(Rows * n + 2), (d, t) =>
                        {
                            var sparse = d.AllocateSparse();
                            d.LoadSparse(sparse, x, forUpdate: false);
                            var epilogue = fuse ? new LayerEpilogue(Upload(d, bias), mask) : (LayerEpilogue?)null;
                            // Unfused at an offset; fused from 0, where a device that does not fuse (the CPU) runs the epilogue after.
                            var offset = fuse ? 0 : 2;
                            var fused = d.SparseProduct(layer, sparse, Rows, Upload(d, w), 2, n + 4, n, accumulate: true, t, offset, epilogue);
                            if (fuse && !fused) d.Epilogue(layer, t, Rows, n, epilogue!.Value);
                        });
                    }
                }
            }

            if (l.Kind == LayerKind.Hidden)
            {
                var output = Values(Rows * n, scale: 0.5f, shift: 0.5f);
                var penalty = Values(n, scale: 0.2f);
                // The penalty term exists only in layers the network penalises (the generated GPU kernel has no code for it elsewhere).
                var penalised = ((Runtime.Kernels.HiddenKernels)_kernels!.Layers[layer]!).HasSparsenessPenalty;
                foreach (var withPenalty in penalised ? new[] { false, true } : new[] { false })
                {
                    Same($"{what} backward{(withPenalty ? " with penalty" : "")}", cpu, gpu, Values(Rows * n),
                        (d, t) => d.HiddenBackward(layer, t, Upload(d, output), Rows, n, withPenalty ? Upload(d, penalty) : null, mask));
                }
                Same($"{what} sparseness penalty", cpu, gpu, new float[n], (d, t) => d.SparsenessPenalty(Upload(d, output), Rows, n, 0.3f, 0.7f, t));
            }
            else
            {
                var a = Values(Rows * n, scale: 0.45f, shift: 0.5f);
                foreach (var (name, targets) in Targets(spec, layer, n))
                {
                    Same($"{what} delta, {name} targets", cpu, gpu, Values(Rows * n),
                        (d, t) => d.OutputDelta(layer, Upload(d, a), t, Rows, n, targets(d), loss));
                    var cpuLoss = cpu.OutputLoss(layer, Upload(cpu, a), Rows, n, targets(cpu), loss);
                    var gpuLoss = gpu.OutputLoss(layer, Upload(gpu, a), Rows, n, targets(gpu), loss);
                    Close($"{what} loss, {name} targets", cpuLoss, gpuLoss);
                }
            }
        }
    }

    /// <summary>
    /// The output product with its delta, as training runs it: the GPU fuses epilogue, delta and batch loss into one
    /// pass (the CPU into its GEMM's epilogue). z, δ and the loss must match the CPU's; the loss the pass left behind
    /// is served once for exactly that output, and a changed output is summed afresh (never a stale total).
    /// </summary>
    [Theory]
    [MemberData(nameof(ElementWiseOutputNetworks))]
    public void Output_product_with_fused_delta_and_loss_matches_the_cpu(string network)
    {
        var (cpu, gpu, spec) = Devices(network);
        // Training asks for the delta with the product only for element-wise outputs (softmax needs whole rows first).
        Assert.False(_kernels!.Layers[spec.Layers.Count - 1]!.IsSoftmax, $"{network} has a softmax output");
        var loss = new LossParameters(0.9f, 0.1f, 1.5f, 0.5f);
        var layer = spec.Layers.Count - 1;
        var output = spec.Layers[layer];
        Assert.Equal(LayerKind.Output, output.Kind);
        var n = output.Width;
        var k = spec[output.Sources[0]].Width;
        var a = Values(Rows * k, scale: 0.5f, shift: 0.5f);
        var w = Values(k * n, scale: 0.3f);
        var bias = Values(n, scale: 0.2f);
        foreach (var (name, targets) in Targets(spec, layer, n))
        {
            var what = $"{network}.{output.Name} product + delta + loss, {name} targets";
            (float[] Z, float[] Delta, double Loss, double Again, double Changed) Run(IShardDevice d)
            {
                var z = d.Allocate(Rows * n);
                var delta = d.Allocate(Rows * n);
                var t = targets(d);
                d.ForwardProduct(layer, Upload(d, a), k, Upload(d, w), n, Rows, n, k, accumulate: false, z,
                    new LayerEpilogue(Upload(d, bias), new DropoutMask(7, 0f, n, 0)), new OutputDeltaRequest(delta, t, loss));
                var zHost = new float[Rows * n];
                var deltaHost = new float[Rows * n];
                d.Download(z, 0, zHost);
                d.Download(delta, 0, deltaHost);
                var first = d.OutputLoss(layer, z, Rows, n, t, loss);
                var again = d.OutputLoss(layer, z, Rows, n, t, loss);
                d.Upload(Values(Rows * n, scale: 0.4f, shift: 0.5f), z, 0);   // the output changes: its loss must too
                var changed = d.OutputLoss(layer, z, Rows, n, t, loss);
                return (zHost, deltaHost, first, again, changed);
            }
            var expected = Run(cpu);
            var actual = Run(gpu);
            for (var i = 0; i < expected.Z.Length; i++) Close($"{what}: z [{i}]", expected.Z[i], actual.Z[i]);
            for (var i = 0; i < expected.Delta.Length; i++) Close($"{what}: δ [{i}]", expected.Delta[i], actual.Delta[i]);
            Close($"{what}: loss", expected.Loss, actual.Loss);
            Close($"{what}: loss asked twice", expected.Again, actual.Again);
            // The uploaded values differ between the two runs (one random stream), so compare each device with itself.
            Assert.NotEqual(actual.Loss, actual.Changed);
        }
    }

    /// <summary>
    /// Batch normalisation as training runs it (forward with the batch's statistics and the running-statistics update,
    /// then backward) and as inference runs it (the running statistics), on a ragged shape.
    /// </summary>
    [Fact]
    public void Batch_norm_forward_and_backward_match_the_cpu()
    {
        var (cpu, gpu, _) = Devices("SparseSgd");
        const int n = 13;
        var z = Values(Rows * n, scale: 2f, shift: 0.5f);
        var bias = Values(n, scale: 0.2f);
        var gamma = Values(n, scale: 0.5f, shift: 1f);
        var beta = Values(n, scale: 0.3f);
        var mean = Values(n, scale: 0.5f);
        var variance = Values(n, scale: 0.5f, shift: 1f);
        var delta = Values(Rows * n);
        float[][] Run(IShardDevice d)
        {
            var bn = new BatchNormTensors(Upload(d, gamma), Upload(d, beta), Upload(d, mean), Upload(d, variance), d.Allocate(Rows * n), d.Allocate(n), d.Allocate(n), d.Allocate(n));
            var block = Upload(d, z);
            d.BatchNormForward(block, Rows, n, Upload(d, bias), bn, 0.2f, 1e-3f, training: true);
            var deltas = Upload(d, delta);
            d.BatchNormBackward(deltas, Rows, n, bn);
            var inferred = Upload(d, z);
            d.BatchNormForward(inferred, Rows, n, Upload(d, bias), bn, 0.2f, 1e-3f, training: false);
            return new[] { block, bn.Normalized, bn.InverseStd, bn.RunningMean, bn.RunningVar, deltas, bn.GammaGradient, bn.BetaGradient, inferred }.Select(t =>
            {
                var host = new float[t.Length];
                d.Download(t, 0, host);
                return host;
            }).ToArray();
        }
        var expected = Run(cpu);
        var actual = Run(gpu);
        var names = new[] { "y", "ẑ", "1/σ", "running mean", "running var", "δz", "δγ", "δβ", "inference y" };
        for (var t = 0; t < names.Length; t++)
            for (var i = 0; i < expected[t].Length; i++) Close($"batch norm {names[t]} [{i}]", expected[t][i], actual[t][i]);
        Assert.NotEqual(variance, actual[4]);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_optimizer_kernel_matches_the_cpu(string network)
    {
        var (cpu, gpu, _) = Devices(network);
        var context = new UpdateContext(0.05f, 0.9f, 0.9f, 0.9f, 0.999f, 1e-6f, 0.01f, 0.001f, 1f / Rows, 3, 1f - MathF.Pow(0.9f, 3), 1f - MathF.Pow(0.999f, 3));
        const int m = 11, n = 13;
        var w = Values(m * n);
        var s1 = Values(m * n, scale: 0.1f, shift: 0.2f);
        var s2 = Values(m * n, scale: 0.1f, shift: 0.2f);
        var a = Values(Rows * m);
        var delta = Values(Rows * n);
        SameParameters(network + " dense update", cpu, gpu, w, s1, s2, (d, p) => d.UpdateFromProduct(m, n, Rows, Upload(d, a), m, Upload(d, delta), n, p, context));
        SameParameters(network + " bias update", cpu, gpu, w[..n], s1[..n], s2[..n], (d, p) => d.UpdateBias(Upload(d, delta), Rows, n, p, context));
        // A tied matrix's one step from its summed gradient (a buffer longer than the block: only count elements are read).
        var gradient = Values((m * n) + 5, scale: 3);
        SameParameters(network + " update from a stored gradient", cpu, gpu, w, s1, s2, (d, p) => d.UpdateFromGradient(Upload(d, gradient), m * n, p, context));
        var wide = Values(Items * n);
        var wideS1 = Values(Items * n, scale: 0.1f, shift: 0.2f);
        var wideS2 = Values(Items * n, scale: 0.1f, shift: 0.2f);
        foreach (var valued in new[] { false, true })
        {
            var x = Batch(valued);
            SameParameters($"{network} sparse update{(valued ? " valued" : "")}", cpu, gpu, wide, wideS1, wideS2, (d, p) =>
            {
                var sparse = d.AllocateSparse();
                d.LoadSparse(sparse, x, forUpdate: true);
                d.UpdateFromSparse(sparse, Rows, Items, Upload(d, delta), n, n, p, context);
            });
        }
    }

    [Fact]
    public void Products_row_and_column_statistics_match_the_cpu()
    {
        var (cpu, gpu, _) = Devices("SparseAdam");
        const int m = 9, n = 11, k = 5;
        foreach (var ta in new[] { false, true })
        foreach (var tb in new[] { false, true })
        {
            var a = Values(m * k + 3);
            var b = Values(k * n + 4);
            Same($"product {(ta ? "T" : "N")}{(tb ? "T" : "N")}", cpu, gpu, Values(m * n + 2),
                (d, t) => d.Multiply(ta, tb, m, n, k, Upload(d, a), 3, ta ? m : k, Upload(d, b), 4, tb ? k : n, true, t, 2, n));
        }
        var z = Values(Rows * n, scale: 4);
        var max = new float[Rows];
        Same("row max → exp → scale", cpu, gpu, z, (d, t) =>
        {
            var sums = new double[Rows];
            d.RowMax(t, Rows, n, max);
            d.ExpRowSums(t, Rows, n, max, sums);
            d.ScaleRows(t, Rows, n, sums);
        });
        var u = Values(Rows * n);
        Same("row sums → subtract scaled", cpu, gpu, u, (d, t) =>
        {
            var sums = new double[Rows];
            d.RowSums(t, Rows, n, sums);
            d.SubtractScaledRows(t, Upload(d, z), Rows, n, sums);
        });
        var factors = Values(n, scale: 0.5f, shift: 1f);
        Same("column norms and scaling", cpu, gpu, Values(Rows * n), (d, t) =>
        {
            var norms = new float[n];
            d.ColumnSquareNorms(t, Rows, n, norms);
            for (var j = 0; j < n; j++) factors[j] = 1f / (1f + norms[j]);
            d.ScaleColumns(t, Rows, n, factors);
        });
        Same("dense input mask", cpu, gpu, Values(Rows * n), (d, t) => d.ApplyMask(t, Rows, n, new DropoutMask(99, 0.4f, n, 0)));
        var added = Values(n);
        Same("add from host, clear", cpu, gpu, Values(Rows * n), (d, t) => { d.AddFromHost(added, t, 5); d.Clear(t, 2, 3); });
        var finite = Values(20);
        Assert.False(gpu.AnyNonFinite(Upload(gpu, finite), 20));
        finite[17] = float.NaN;
        Assert.True(gpu.AnyNonFinite(Upload(gpu, finite), 20));
        Assert.False(gpu.AnyNonFinite(Upload(gpu, finite), 17));
    }

    [Fact]
    public void Top_k_matches_the_cpu_with_ties_nans_exclusions_and_short_rows()
    {
        var (cpu, gpu, _) = Devices("SparseAdam");
        const int n = 37;
        var scores = Values(Rows * n);
        for (var j = 0; j < n; j += 3) scores[j] = 0.25f;                 // row 0: ties, picked by the lower column
        scores[n + 4] = float.NaN;                                         // row 1: NaN never picked
        for (var j = 0; j < n; j++) scores[(2 * n) + j] = float.NaN;       // row 2: nothing to pick
        for (var j = 0; j < n - 3; j++) scores[(3 * n) + j] = float.NaN;   // row 3: fewer candidates than k
        scores[(4 * n) + 9] = float.NegativeInfinity;
        var exclude = Batch(valued: false, width: n);
        foreach (var k in new[] { 1, 5, 12 })
        {
            foreach (var excluded in new[] { null, exclude })
            {
                var expected = TopK(cpu, scores, n, k, excluded);
                var actual = TopK(gpu, scores, n, k, excluded);
                Assert.Equal(expected.Counts, actual.Counts);
                for (var b = 0; b < Rows; b++)
                {
                    for (var i = 0; i < expected.Counts[b]; i++)
                    {
                        Assert.Equal(expected.Indices[(b * k) + i], actual.Indices[(b * k) + i]);
                        Assert.Equal(expected.Values[(b * k) + i], actual.Values[(b * k) + i]);
                    }
                }
            }
        }
        Assert.Equal(0, TopK(gpu, scores, n, 5, null).Counts[2]);
        Assert.Equal(3, TopK(gpu, scores, n, 5, null).Counts[3]);
    }

    private static (int[] Indices, float[] Values, int[] Counts) TopK(IShardDevice device, float[] scores, int n, int k, SparseBatch? exclude)
    {
        var indices = new int[Rows * k];
        var values = new float[Rows * k];
        var counts = new int[Rows];
        device.SelectTopK(Upload(device, scores), Rows, n, k, exclude, indices, values, counts);
        return (indices, values, counts);
    }

    private (IShardDevice Cpu, IShardDevice Gpu, NetworkSpec Spec) Devices(string network)
    {
        var cpu = Create(network, DeviceGroup.Cpu());
        var gpu = Create(network, DeviceGroup.GpuSimulator());
        _models.Add(cpu);
        _models.Add(gpu);
        _kernels = ((ShardSchedule)cpu.ShardBackends[0]).Kernels;
        return (((ShardSchedule)cpu.ShardBackends[0]).Device, ((ShardSchedule)gpu.ShardBackends[0]).Device, cpu.Spec);
    }

    private static Model Create(string network, DeviceGroup devices) => network switch
    {
        "SparseSgd" => new SparseSgd(Items, devices: devices),
        "SparseNesterov" => new SparseNesterov(Items, devices: devices),
        "SparseAdaGrad" => new SparseAdaGrad(Items, devices: devices),
        "SparseRmsProp" => new SparseRmsProp(Items, devices: devices),
        "SparseAdaDelta" => new SparseAdaDelta(Items, devices: devices),
        "SparseAdam" => new SparseAdam(Items, devices: devices),
        _ => new DenseSkip(devices: devices),
    };

    /// <summary>Sparse and dense targets for an output layer, without and with example weights (one of them 0, one above 1).</summary>
    private IEnumerable<(string Name, Func<IShardDevice, DeviceTargets> Targets)> Targets(NetworkSpec spec, int layer, int n)
    {
        var sparse = Batch(valued: true, width: n);
        DeviceTargets Sparse(IShardDevice d)
        {
            var s = d.AllocateSparse();
            d.LoadSparse(s, sparse, forUpdate: false);
            return DeviceTargets.FromSparse(s);
        }
        var dense = Values(Rows * (n + 1), scale: 0.5f, shift: 0.5f);
        var weights = new[] { 1.5f, 0f, 0.25f, 1f, 3f, 0.75f, 2f };
        Assert.Equal(Rows, weights.Length);
        yield return ("sparse", Sparse);
        yield return ("dense", d => DeviceTargets.FromDense(Upload(d, dense), n + 1));
        yield return ("weighted sparse", d => Sparse(d) with { Weights = Upload(d, weights) });
        yield return ("weighted dense", d => DeviceTargets.FromDense(Upload(d, dense), n + 1) with { Weights = Upload(d, weights) });
    }

    private SparseBatch Batch(bool valued, int width = Items)
    {
        var rows = Enumerable.Range(0, Rows + 3).Select(r => Enumerable.Range(0, width).Where(_ => _random.NextDouble() < 0.25).ToArray()).ToList();
        rows[4] = Array.Empty<int>();   // an example with no non-zeros
        var slice = SparseSlice.Of(SparseMatrix.FromRows(width, rows), new UnitRange(0, width));
        var batch = new SparseBatch();
        batch.Fill(slice, new[] { 2, 0, 4, 9, 5, 1, 7 }, valued ? 0.3f : 0f, 4242, width);
        return batch;
    }

    private float[] Values(int count, float scale = 1f, float shift = 0f)
        => Enumerable.Range(0, count).Select(_ => shift + (scale * (float)((_random.NextDouble() * 2) - 1))).ToArray();

    private static DeviceTensor Upload(IShardDevice device, float[] values)
    {
        var t = device.Allocate(values.Length);
        device.Upload(values, t, 0);
        return t;
    }

    private static void Same(string what, IShardDevice cpu, IShardDevice gpu, float[] start, Action<IShardDevice, DeviceTensor> op)
    {
        var expected = Run(cpu, start, op);
        var actual = Run(gpu, start, op);
        for (var i = 0; i < expected.Length; i++) Close($"{what} [{i}]", expected[i], actual[i]);
    }

    private static float[] Run(IShardDevice device, float[] start, Action<IShardDevice, DeviceTensor> op)
    {
        var t = Upload(device, start);
        op(device, t);
        var result = new float[start.Length];
        device.Download(t, 0, result);
        return result;
    }

    private static void SameParameters(string what, IShardDevice cpu, IShardDevice gpu, float[] w, float[] s1, float[] s2, Action<IShardDevice, ParameterTensors> op)
    {
        float[][] Run(IShardDevice d)
        {
            var p = new ParameterTensors(Upload(d, w), Upload(d, s1), Upload(d, s2));
            op(d, p);
            return new[] { p.Values, p.State1!, p.State2! }.Select(t => { var h = new float[w.Length]; d.Download(t, 0, h); return h; }).ToArray();
        }
        var expected = Run(cpu);
        var actual = Run(gpu);
        var changed = 0;
        for (var part = 0; part < 3; part++)
        {
            for (var i = 0; i < w.Length; i++)
            {
                Close($"{what} part {part} [{i}]", expected[part][i], actual[part][i]);
                if (part == 0 && expected[0][i] != w[i]) changed++;
            }
        }
        if (changed == 0) throw new XunitException($"{what}: the update changed no weight, so the comparison proves nothing");
    }

    private static void Close(string what, double expected, double actual)
    {
        var tolerance = 1e-5 * Math.Max(1, Math.Abs(expected));
        if (!(Math.Abs(expected - actual) <= tolerance)) throw new XunitException($"{what}: GPU {actual:R} vs CPU {expected:R}");
    }

    public void Dispose()
    {
        foreach (var m in _models) m.Dispose();
    }

}
