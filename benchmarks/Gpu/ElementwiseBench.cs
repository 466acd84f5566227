using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Gpu.Kernels;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Specs;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Benchmarks.Gpu;

/// <summary>
/// The training step's element-wise kernels alone: the network's generated ILGPU kernels (from
/// <see cref="GpuKernelRegistry"/>, loaded as the GPU device loads them) on buffers of the step's sizes, on device 0,
/// each against a device-to-device copy (ILGPU <c>CopyTo</c>) that moves the same bytes (half read, half written),
/// timed the same way in the same run. Bandwidth = bytes the kernel must move / time; the target is ≥ 70% of the copy's.
/// </summary>
/// <remarks>
/// Kernels (B = batch, N = output width, H = the last hidden width): the output's epilogue (bias + activation, B×N,
/// read and write), its loss delta against the batch's sparse targets (B×N), its loss reduction (B×N read), the
/// optimizer's update of the H→N weights (H×N: weights, gradient and state read, weights and state written), and
/// the last hidden layer's epilogue and backward (B×H).
/// </remarks>
internal static class ElementwiseBench
{
    public static ElementwiseResult Run(DeviceChoice devices, Type modelType, NetworkSpec spec, SparseMatrix data, int batch)
    {
        var set = GpuKernelRegistry.Find(modelType) ?? throw new InvalidOperationException($"{modelType.Name} has no GPU kernels.");
        var outIndex = spec.Layers.Count - 1;
        while (spec.Layers[outIndex].Kind != LayerKind.Output) outIndex--;
        var output = spec.Layers[outIndex];
        var hidden = spec[output.Sources[0]];
        var hiddenIndex = spec.IndexOf(hidden.Name);
        if (set.Layers[outIndex] is not GpuOutputKernels outKernels || set.Layers[hiddenIndex] is not GpuHiddenKernels hiddenKernels)
            throw new InvalidOperationException($"{spec.Name}: expected output kernels for {output.Name} and hidden kernels for {hidden.Name}.");
        int b = Math.Min(batch, data.Rows), n = output.Width, h = hidden.Width;
        long bn = (long)b * n, bh = (long)b * h, hn = (long)h * n;
        if (bn > int.MaxValue || hn > int.MaxValue) throw new InvalidOperationException("Buffers over 2³¹ elements.");

        var (accelerator, name) = devices.OpenFirst();
        using var _ = accelerator;
        using var stream = accelerator.CreateStream();
        var buffers = new List<IDisposable>();
        MemoryBuffer1D<T, Stride1D.Dense> Own<T>(MemoryBuffer1D<T, Stride1D.Dense> buffer) where T : unmanaged
        {
            buffers.Add(buffer);
            return buffer;
        }
        try
        {
            var fill = Fill.For(accelerator);
            var z = Own(accelerator.Allocate1D<float>(bn));
            var delta = Own(accelerator.Allocate1D<float>(bn));
            var bias = Own(accelerator.Allocate1D<float>(Math.Max(n, h)));
            var hz = Own(accelerator.Allocate1D<float>(bh));
            var hd = Own(accelerator.Allocate1D<float>(bh));
            var w = Own(accelerator.Allocate1D<float>(hn));
            var g = Own(accelerator.Allocate1D<float>(hn));
            var s1 = Own(accelerator.Allocate1D<float>(hn));
            var s2 = Own(accelerator.Allocate1D<float>(set.Update.StateCount >= 2 ? hn : 1));
            var total = Own(accelerator.Allocate1D<double>(1));
            foreach (var (view, value) in new[] { (z.View, 0.25f), (delta.View, 0f), (bias.View, 0.01f), (hz.View, 0.5f), (hd.View, 0.01f), (w.View, 0.01f), (g.View, 0.001f), (s1.View, 0f), (s2.View, 0f) })
                fill(stream, view, value);

            // The first batch's targets, as the device holds them: CSR with int offsets, ascending columns, no values.
            var offsets = new int[b + 1];
            var first = data.RowOffsets[0];
            for (var r = 0; r <= b; r++) offsets[r] = checked((int)(data.RowOffsets[r] - first));
            var columns = data.ColumnIndices.AsSpan(checked((int)first), offsets[b]).ToArray();
            for (var r = 0; r < b; r++) Array.Sort(columns, offsets[r], offsets[r + 1] - offsets[r]);
            var targetOffsets = Own(accelerator.Allocate1D(offsets));
            var targetColumns = Own(accelerator.Allocate1D(columns.Length > 0 ? columns : [0]));
            var noValues = Own(accelerator.Allocate1D<float>(1));
            var targets = new TargetArgs(new SparseArgs(targetOffsets.View, targetColumns.View, noValues.View, hasValues: false));
            long targetBytes = 4L * (offsets.Length + columns.Length);
            stream.Synchronize();

            var loss = new LossParameters(spec.Loss.OneTarget, spec.Loss.ZeroTarget, spec.Loss.OneScale, spec.Loss.ZeroScale);
            var o = spec.Optimizer;
            var update = new UpdateContext(o.LearningRate, o.Momentum, o.Decay, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, o.L1Decay,
                GradientScale: 1f / b, Step: 1, BiasCorrection1: 1f - o.Beta1, BiasCorrection2: 1f - o.Beta2);
            var noMask = default(DropoutArgs);

            var outEpilogue = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, ArrayView<float>, int, ArrayView<float>, DropoutArgs>>(outKernels.Epilogue));
            var outDelta = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, int, TargetArgs, LossParameters>>(outKernels.Delta));
            var outLoss = accelerator.LoadKernel(As<Action<ArrayView<float>, int, int, TargetArgs, LossParameters, ArrayView<double>>>(outKernels.Loss));
            var denseUpdate = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, UpdateContext>>(set.Update.Dense));
            var hiddenEpilogue = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, ArrayView<float>, int, ArrayView<float>, DropoutArgs>>(hiddenKernels.Epilogue));
            var hiddenBackward = accelerator.LoadAutoGroupedKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<float>, int, DropoutArgs>>(hiddenKernels.Backward));

            // The loss reduction's launch shape, as the device chooses it: power-of-two groups, a grid that fills the device.
            var group = Math.Min(GroupSum.MaxGroupSize, accelerator.MaxNumThreadsPerGroup);
            group = 1 << (int)Math.Log2(group);
            var groups = (int)Math.Min((bn + group - 1) / group, Math.Max(1, accelerator.MaxNumThreads / group));

            var cases = new (string Label, long Bytes, Action Launch)[]
            {
                ($"{output.Name} epilogue {b}×{n}", (8 * bn) + (4L * n), () => outEpilogue(stream, (int)bn, z.View, n, bias.View, noMask)),
                ($"{output.Name} loss delta {b}×{n}", (8 * bn) + targetBytes, () => outDelta(stream, (int)bn, z.View, delta.View, n, targets, loss)),
                ($"{output.Name} loss {b}×{n}", (4 * bn) + targetBytes, () => outLoss(stream, new KernelConfig(groups, group), z.View, (int)bn, n, targets, loss, total.View)),
                ($"{hidden.Name}→{output.Name} {o.Kind} update {h}×{n}", (3 + (2L * set.Update.StateCount)) * 4 * hn, () => denseUpdate(stream, (int)hn, w.View, g.View, s1.View, s2.View, update)),
                ($"{hidden.Name} epilogue {b}×{h}", (8 * bh) + (4L * h), () => hiddenEpilogue(stream, (int)bh, hz.View, h, bias.View, noMask)),
                ($"{hidden.Name} backward {b}×{h}", 12 * bh, () => hiddenBackward(stream, (int)bh, hd.View, hz.View, h, bias.View, 0, noMask)),
            };

            var copyFloats = cases.Max(c => c.Bytes) / 8;
            var from = Own(accelerator.Allocate1D<float>(copyFloats + 1));
            var to = Own(accelerator.Allocate1D<float>(copyFloats + 1));
            fill(stream, from.View, 1f);
            stream.Synchronize();

            Console.WriteLine($"  element-wise kernels vs a device-to-device copy of the same bytes ({name}):");
            var rows = new List<KernelBandwidth>();
            foreach (var (label, bytes, launch) in cases)
            {
                var seconds = ProductsBench.Time(stream, launch);
                var copyView = from.View.SubView(0, Math.Max(1, bytes / 8));
                var target = to.View.SubView(0, copyView.Length);
                var copySeconds = ProductsBench.Time(stream, () => copyView.CopyTo(stream, target));
                var row = new KernelBandwidth(label, bytes, seconds * 1e3, bytes / seconds / 1e9, copySeconds * 1e3, copyView.Length * 8.0 / copySeconds / 1e9);
                rows.Add(row);
                Console.WriteLine($"    {label,-36} {bytes / 1e6,9:F2} MB  {row.Milliseconds,9:F4} ms  {Rate(row.GigabytesPerSecond),8} GB/s   copy {Rate(row.CopyGigabytesPerSecond),8} GB/s   {row.OfCopy * 100,5:F1}%");
            }
            var allBytes = rows.Sum(r => (double)r.Bytes);
            var kernelGbps = allBytes / (rows.Sum(r => r.Milliseconds) / 1e3) / 1e9;
            var copyGbps = rows.Sum(r => Math.Max(1, r.Bytes / 8) * 8.0) / (rows.Sum(r => r.CopyMilliseconds) / 1e3) / 1e9;
            Console.WriteLine($"    all together: {Rate(kernelGbps)} GB/s vs copy {Rate(copyGbps)} GB/s = {kernelGbps / copyGbps * 100:F1}%");
            return new ElementwiseResult(name, kernelGbps, copyGbps, kernelGbps / copyGbps, rows);
        }
        finally
        {
            stream.Synchronize();
            for (var i = buffers.Count - 1; i >= 0; i--) buffers[i].Dispose();
        }
    }

    private static string Rate(double gbps) => gbps.ToString(gbps >= 100 ? "F0" : gbps >= 1 ? "F1" : "F3", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A generated kernel (a static method behind a public delegate type) as the Action type ILGPU's loaders take.</summary>
    private static TAction As<TAction>(Delegate kernel) where TAction : Delegate
        => kernel.Method.IsStatic ? kernel.Method.CreateDelegate<TAction>() : throw new ArgumentException($"GPU kernel {kernel.Method.Name} must be a static method.");
}

/// <summary>One kernel against its copy.</summary>
internal sealed record KernelBandwidth(string Kernel, long Bytes, double Milliseconds, double GigabytesPerSecond, double CopyMilliseconds, double CopyGigabytesPerSecond)
{
    public double OfCopy => GigabytesPerSecond / CopyGigabytesPerSecond;
}

/// <summary>The step's element-wise kernels: every kernel's bytes over every kernel's time, against the copies'.</summary>
internal sealed record ElementwiseResult(string Device, double GigabytesPerSecond, double CopyGigabytesPerSecond, double OfCopy, IReadOnlyList<KernelBandwidth> Kernels);
