using System.Reflection;
using DestinyDsl.Language.Lowering;
using DestinyDsl.Language.Model;
using DestinyDsl.Runtime.Gpu.Kernels;
using DestinyDsl.Runtime.Kernels.Fusion;
using DestinyDsl.Runtime.Kernels.Simd;
using DestinyDsl.SourceGenerator.Emit;
using DestinyDsl.SourceGenerator.Tests.Infrastructure;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using static DestinyDsl.SourceGenerator.Tests.Infrastructure.ModelBuilder;

namespace DestinyDsl.SourceGenerator.Tests;

/// <summary>
/// The second generated file, <c>&lt;Network&gt;.Gpu.g.cs</c>: emitted only when the compilation references
/// DestinyDsl.Runtime.Gpu or the build sets <c>DestinyDslGpuKernels=true</c>; compiles warning-free; every kernel
/// compiles to PTX (ILGPU's backend, no GPU needed); and, run on ILGPU's CPU accelerator, every kernel computes what
/// the generated CPU ops structs compute (the runtime's fused CPU loops).
/// </summary>
public class GpuKernelsTests
{
    private const string GpuSuffix = ".Gpu.g.cs";

    /// <summary>User types in the generated namespaces named like what the GPU file uses.</summary>
    private const string ClashingUserCode = """
        namespace Samples.MovieLens { public class ILGPU { } public class MathF { } public class Index1D { } public class ArrayView<T> { } public class GroupSum { } public class DropoutArgs { } public class System { } }
        namespace Coverage { public class ILGPU { } public class DestinyDsl { } public class LossParameters { } public class UpdateContext { } public class SparseArgs { } }
        namespace LanguageExamples { public class GpuKernelSet { } public class GpuKernelRegistry { } public class TargetArgs { } }
        namespace DestinyDsl.Benchmarks.HeadToHead { public class ILGPU { } public class MathF { } }
        """;

    public static TheoryData<string> Cases() => new() { "MovieLens", "DeepAutoencoder", "DsstneBenchmark", "Coverage" };

    private static NetworkModel[] Models(string name) =>
        GeneratorHarness.Models(name, rootNamespace: name == "DeepAutoencoder" ? "LanguageExamples" : null);

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    [InlineData("")]
    [InlineData("yes")]
    public void NoGpuFileWithoutTheGpuRuntimeOrTheProperty(string? property)
    {
        var (result, output) = GeneratorHarness.Run(new[] { GeneratorHarness.Input("MovieLens") }, gpuProperty: property);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { "MovieLens.MovieLensAutoencoder.g.cs" }, result.GeneratedSources.Select(s => s.HintName));
        TestCompilation.AssertClean(output);
    }

    [Fact]
    public void GpuFileWhenTheCompilationReferencesTheGpuRuntime()
    {
        var (result, output) = GeneratorHarness.Run(new[] { GeneratorHarness.Input("MovieLens") }, gpu: true);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { "MovieLens.MovieLensAutoencoder.Gpu.g.cs", "MovieLens.MovieLensAutoencoder.g.cs" }, result.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal));
        TestCompilation.AssertClean(output);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    [InlineData(" TRUE ")]
    public void GpuFileWhenThePropertyIsTrue(string property)
    {
        var (result, _) = GeneratorHarness.Run(new[] { GeneratorHarness.Input("MovieLens") }, gpuProperty: property);
        Assert.Empty(result.Diagnostics);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "MovieLens.MovieLensAutoencoder.Gpu.g.cs");
        // The property alone does not make ILGPU available: the same sources compile once the project references the GPU runtime.
        var compilation = TestCompilation.Create(result.GeneratedSources.Select(s => s.SourceText.ToString()), gpu: true);
        TestCompilation.AssertClean(compilation);
    }

    [Fact]
    public void GpuFilesOfSameNamedFilesGetTheSameUniquePrefixes()
    {
        var text = GeneratorHarness.Input("MovieLens").Text;
        var (result, output) = GeneratorHarness.Run(new[] { ("/a/MovieLens.dnet", text.Replace("namespace Samples.MovieLens;", "namespace A;")), ("/b/MovieLens.dnet", text.Replace("namespace Samples.MovieLens;", "namespace B;")) }, gpu: true);
        Assert.Empty(result.Diagnostics);
        var hints = result.GeneratedSources.Select(s => s.HintName).ToArray();
        Assert.Equal(4, hints.Distinct().Count());
        Assert.All(hints.Where(h => h.EndsWith(GpuSuffix, StringComparison.Ordinal)), h => Assert.Contains(h.Replace(GpuSuffix, ".g.cs"), hints));
        TestCompilation.AssertClean(output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CompilesWithoutDiagnostics_ImplicitUsingsOff(string name)
    {
        var sources = TestEmitter.EmitBoth(Models(name)).Select(s => s.Text).Append(ClashingUserCode);
        TestCompilation.AssertClean(TestCompilation.Create(sources, gpu: true));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CompilesWithoutDiagnostics_ImplicitUsingsOn(string name)
    {
        var sources = TestEmitter.EmitBoth(Models(name)).Select(s => s.Text).Append(TestCompilation.ImplicitUsings).Append(ClashingUserCode);
        TestCompilation.AssertClean(TestCompilation.Create(sources, gpu: true));
    }

    [Fact]
    public void NamesThatCollideWithTheKernelClassesStillCompile()
    {
        // `h_gpu` PascalCases onto h's kernel class, `create_gpu_kernels` onto the factory, `sgd_gpu` onto the update's class.
        var model = new ModelBuilder("Net", "Collide", line: 0)
            .Input("items", sparse: true)
            .Hidden("h", 8)
            .Hidden("h_gpu", 8)
            .Hidden("create_gpu_kernels", 8)
            .Hidden("sgd_gpu", 8)
            .Output("scores", sparse: true, new ActivationModel(ActivationKind.Sigmoid), target: "items")
            .Build("/src/Collide.dnet");
        var sources = TestEmitter.EmitBoth(model);
        TestCompilation.AssertClean(TestCompilation.Create(sources.Select(s => s.Text).Append(TestCompilation.ImplicitUsings), gpu: true));
        var gpu = sources.Single(s => s.HintName.EndsWith(GpuSuffix, StringComparison.Ordinal)).Text;
        Assert.Contains("private static class HGpuKernels", gpu);
        Assert.Contains("private static class SgdGpuKernels", gpu);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryKernelCompilesToPtx(string name)
    {
        var models = Models(name);
        var assembly = Load(models, name);
        using var context = Context.Create(b => b.EnableAlgorithms());
        // A100 and H100: ILGPU targets sm_80 at most in the PTX it writes; the driver JIT-compiles it for Hopper.
        foreach (var architecture in new[] { CudaArchitecture.SM_80, CudaArchitecture.SM_90 })
        {
            using var backend = new PTXBackend(context, architecture, CudaInstructionSet.ISA_80, nvvmAPI: null!);
            var compiled = 0;
            foreach (var model in models)
            {
                foreach (var (kernel, explicitlyGrouped) in Kernels(KernelSetOf(assembly, model)))
                {
                    var entry = explicitlyGrouped
                        ? EntryPointDescription.FromExplicitlyGroupedKernel(kernel.Method)
                        : EntryPointDescription.FromImplicitlyGroupedKernel(kernel.Method);
                    var ptx = (PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization());
                    Assert.Contains(".entry", ptx.PTXAssembly, StringComparison.Ordinal);
                    compiled++;
                }
            }
            Assert.True(compiled >= 4 * models.Length, $"{architecture}: only {compiled} kernels compiled");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void KernelsOnTheCpuAcceleratorMatchTheGeneratedCpuOps(string name)
    {
        var models = Models(name);
        var assembly = Load(models, name);
        using var device = new KernelRunner();
        foreach (var model in models) CheckNetwork(device, assembly, model, new Random(model.Name.Length * 7919));
    }

    [Fact]
    public void TheModuleInitializerRegistersTheKernels()
    {
        var model = Models("MovieLens").Single();
        var assembly = Load(new[] { model }, "Registry");
        var type = assembly.GetType(Qualified(model))!;
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(type.Module.ModuleHandle);
        var set = GpuKernelRegistry.Find(type);
        Assert.NotNull(set);
        Assert.Equal(3, set!.Layers.Count);
        Assert.Null(set.Layers[0]);
        Assert.NotNull(set.Layers[1]!.SparseForward);
        Assert.Null(set.Layers[2]!.SparseForward);
        Assert.IsType<GpuHiddenKernels>(set.Layers[1]);
        Assert.IsType<GpuOutputKernels>(set.Layers[2]);
        Assert.Equal(1, set.Update.StateCount);
    }

    // ---- the CPU-accelerator comparison ----

    private const int Rows = 3;
    private const int Width = 5;

    private static void CheckNetwork(KernelRunner device, Assembly assembly, NetworkModel model, Random random)
    {
        var plan = NetworkLowering.Lower(model);
        var names = new NetworkEmitContext(model, plan, model.FilePath, "0.0.0");
        var modelType = assembly.GetType(Qualified(model))!;
        var set = KernelSetOf(assembly, model);
        var loss = new LossParameters((float)model.Loss.OneTarget.Value, (float)model.Loss.ZeroTarget.Value, (float)model.Loss.OneScale.Value, (float)model.Loss.ZeroScale.Value);

        foreach (var layer in plan.Layers)
        {
            var ops = modelType.GetNestedType(names.OpsStructs[layer.Name], BindingFlags.NonPublic)!;
            var kernels = set.Layers[layer.Index]!;
            var softmax = layer.Forward.Activation.IsRowWise;
            var what = $"{model.Name}.{layer.Name}";
            var dropout = layer.Backward is { HasDropout: true } && !softmax;
            var masks = dropout ? new[] { default(DropoutArgs), Mask(0.4f, columnOffset: 2) } : new[] { default(DropoutArgs) };

            foreach (var mask in masks)
            {
                // Epilogue: z ← f(z + b) (⊙ m).
                var z = Values(random, Rows * Width, -2, 2);
                var bias = Values(random, Width, -0.5, 0.5);
                var expected = new float[z.Length];
                for (var i = 0; i < z.Length; i++)
                {
                    var v = z[i] + bias[i % Width];
                    expected[i] = softmax ? v : Activate(ops, v) * (dropout ? mask.At(i / Width, i % Width) : 1f);
                }
                AssertClose(expected, device.Epilogue(kernels.Epilogue, z, Width, bias, mask), what + " epilogue");

                // Sparse-input forward: fused and unfused, accumulating or not.
                if (kernels.SparseForward is { } sparseForward)
                {
                    var (offsets, columns, values) = Csr(random, Rows, 7);
                    const int ldw = Width + 2;
                    var w = Values(random, 7 * ldw, -1, 1);
                    foreach (var (accumulate, fuse) in new[] { (0, 0), (1, 1), (0, 1) })
                    {
                        var start = Values(random, Rows * Width, -1, 1);
                        var want = new float[start.Length];
                        for (var i = 0; i < want.Length; i++)
                        {
                            var (row, j) = (i / Width, i % Width);
                            var sum = accumulate != 0 ? start[i] : 0f;
                            for (var k = offsets[row]; k < offsets[row + 1]; k++) sum += (values?[k] ?? 1f) * w[(columns[k] * ldw) + j];
                            want[i] = fuse == 0 ? sum : softmax ? sum + bias[j] : Activate(ops, sum + bias[j]) * (dropout ? mask.At(row, j) : 1f);
                        }
                        AssertClose(want, device.SparseForward(sparseForward, offsets, columns, values, w, ldw, start, Width, accumulate, fuse, bias, mask), $"{what} sparse forward (accumulate {accumulate}, fuse {fuse})");
                    }
                }

                // Hidden backward: δ ← ((δ + penalty) ⊙ m) ⊙ f'(ã·keep), softmax ⊙ a.
                if (kernels is GpuHiddenKernels hidden)
                {
                    var delta = Values(random, Rows * Width, -1, 1);
                    var output = Values(random, Rows * Width, 0.05, 0.95);
                    var penalty = Values(random, Width, -0.2, 0.2);
                    var hasPenalty = layer.Backward!.HasSparsenessPenalty ? 1 : 0;
                    var want = new float[delta.Length];
                    for (var i = 0; i < want.Length; i++)
                    {
                        var d = delta[i];
                        if (hasPenalty != 0) d += penalty[i % Width];
                        var a = output[i];
                        if (dropout && mask.IsActive)
                        {
                            d *= mask.At(i / Width, i % Width);
                            a *= mask.Keep;
                        }
                        want[i] = softmax ? d * a : d * Derivative(ops, a);
                    }
                    AssertClose(want, device.Backward(hidden.Backward, delta, output, Width, penalty, hasPenalty, mask), what + " backward");
                }
            }

            if (kernels is GpuOutputKernels outputKernels)
            {
                var a = Values(random, Rows * Width, 0.05, 0.95);
                var dense = new float[Rows * Width];
                for (var i = 0; i < dense.Length; i++) dense[i] = (i % 3) switch { 0 => 0f, 1 => 1f, _ => 0.6f };
                var (offsets, columns, values) = Csr(random, Rows, Width);
                var sparse = new float[Rows * Width];
                for (var row = 0; row < Rows; row++)
                {
                    for (var k = offsets[row]; k < offsets[row + 1]; k++) sparse[(row * Width) + columns[k]] = values?[k] ?? 1f;
                }
                foreach (var (targets, t) in new[] { (device.DenseTargets(dense, Width), dense), (device.SparseTargets(offsets, columns, values), sparse) })
                {
                    var want = new float[a.Length];
                    var total = 0.0;
                    for (var i = 0; i < a.Length; i++)
                    {
                        want[i] = OpsCall(ops, "Delta", a[i], t[i], loss);
                        total += OpsCall(ops, "Loss", a[i], t[i], loss);
                    }
                    AssertClose(want, device.Delta(outputKernels.Delta, a, Width, targets, loss), what + " delta");
                    var actual = device.Loss(outputKernels.Loss, a, Width, targets, loss);
                    Assert.True(Math.Abs(total - actual) <= 1e-5 * Math.Max(1, Math.Abs(total)), $"{what} loss {actual}, expected {total}");
                }
            }
        }

        CheckUpdate(device, modelType, names, set.Update, random, model.Name);
    }

    private static void CheckUpdate(KernelRunner device, Type modelType, NetworkEmitContext names, GpuUpdateKernels update, Random random, string network)
    {
        var rule = modelType.GetNestedType(names.UpdateStruct, BindingFlags.NonPublic)!;
        var stateCount = (int)rule.GetProperty("StateCount")!.GetValue(null)!;
        Assert.Equal(stateCount, update.StateCount);
        var c = new UpdateContext(0.05f, 0.9f, 0.95f, 0.9f, 0.999f, 1e-6f, 1e-3f, 2e-3f, 1f / 8, 3, 1 - 0.729f, 1 - 0.997003f);
        var apply = rule.GetMethod("Update")!.MakeGenericMethod(typeof(Scalar));
        (float W, float S1, float S2) Rule(float w, float g, float s1, float s2)
        {
            var args = new object[] { Scalar.Create(w), Scalar.Create(g), Scalar.Create(stateCount >= 1 ? s1 : 0f), Scalar.Create(stateCount >= 2 ? s2 : 0f), c };
            apply.Invoke(null, args);
            return (((Scalar)args[0]).Value, stateCount >= 1 ? ((Scalar)args[2]).Value : s1, stateCount >= 2 ? ((Scalar)args[3]).Value : s2);
        }

        // Dense: one thread per parameter.
        var weights = Values(random, 12, -1, 1);
        var gradient = Values(random, 12, -2, 2);
        var state1 = Values(random, 12, 0, 0.5);
        var state2 = Values(random, 12, 0, 0.5);
        var (w1, s11, s21) = device.Dense(update.Dense, weights, gradient, state1, state2, c);
        var (ew, es1, es2) = (new float[12], new float[12], new float[12]);
        for (var i = 0; i < 12; i++) (ew[i], es1[i], es2[i]) = Rule(weights[i], gradient[i], state1[i], state2[i]);
        AssertClose(ew, w1, network + " dense update w");
        AssertClose(es1, s11, network + " dense update s1");
        AssertClose(es2, s21, network + " dense update s2");

        // Sparse: rows of the batch's features only; the gradient is the transposed batch times δ.
        const int n = 4, features = 6, batch = 3, ldd = n + 1;
        var sparseWeights = Values(random, features * n, -1, 1);
        var sparseS1 = Values(random, features * n, 0, 0.5);
        var sparseS2 = Values(random, features * n, 0, 0.5);
        var delta = Values(random, batch * ldd, -1, 1);
        var occurring = new[] { 1, 4 };
        var (offsets, columns, values) = (new[] { 0, 2, 3 }, new[] { 0, 2, 1 }, new[] { 0.5f, 2f, -1f });
        var (w2, s12, s22) = device.Sparse(update.Sparse, sparseWeights, sparseS1, sparseS2, n, offsets, columns, values, occurring, delta, ldd, c);
        var (sw, ss1, ss2) = ((float[])sparseWeights.Clone(), (float[])sparseS1.Clone(), (float[])sparseS2.Clone());
        for (var u = 0; u < occurring.Length; u++)
        {
            for (var j = 0; j < n; j++)
            {
                var g = 0f;
                for (var k = offsets[u]; k < offsets[u + 1]; k++) g += values[k] * delta[(columns[k] * ldd) + j];
                var at = (occurring[u] * n) + j;
                (sw[at], ss1[at], ss2[at]) = Rule(sw[at], g, ss1[at], ss2[at]);
            }
        }
        AssertClose(sw, w2, network + " sparse update w");
        AssertClose(ss1, s12, network + " sparse update s1");
        AssertClose(ss2, s22, network + " sparse update s2");
    }

    // ---- helpers ----

    private static Assembly Load(NetworkModel[] models, string name) =>
        TestCompilation.Load(TestCompilation.Create(TestEmitter.EmitBoth(models).Select(s => s.Text), "Gpu" + name + Guid.NewGuid().ToString("N"), gpu: true), collectible: false);

    private static string Qualified(NetworkModel model) => model.Namespace is null ? model.Name : model.Namespace + "." + model.Name;

    private static GpuKernelSet KernelSetOf(Assembly assembly, NetworkModel model) =>
        (GpuKernelSet)assembly.GetType(Qualified(model))!.GetMethod("CreateGpuKernels", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, null)!;

    private static IEnumerable<(Delegate Kernel, bool ExplicitlyGrouped)> Kernels(GpuKernelSet set)
    {
        foreach (var layer in set.Layers)
        {
            if (layer is null) continue;
            yield return (layer.Epilogue, false);
            if (layer.SparseForward is not null) yield return (layer.SparseForward, false);
            if (layer is GpuHiddenKernels hidden) yield return (hidden.Backward, false);
            if (layer is GpuOutputKernels output)
            {
                yield return (output.Delta, false);
                yield return (output.Loss, true);
            }
        }
        yield return (set.Update.Dense, false);
        yield return (set.Update.Sparse, false);
    }

    /// <summary>An active dropout mask (the runtime builds it from its internal DropoutMask).</summary>
    private static DropoutArgs Mask(float probability, int columnOffset)
    {
        var maskType = typeof(DestinyDsl.Runtime.Model).Assembly.GetType("DestinyDsl.Runtime.Kernels.Fused.DropoutMask", throwOnError: true)!;
        var mask = Activator.CreateInstance(maskType, 0x5eedUL, probability, Width + 4, columnOffset)!;
        var args = (DropoutArgs)typeof(DropoutArgs).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, new[] { maskType })!.Invoke(new[] { mask });
        Assert.True(args.IsActive);
        return args;
    }

    private static float Activate(Type ops, float z) =>
        ((Scalar)ops.GetMethod("Activate")!.MakeGenericMethod(typeof(Scalar)).Invoke(null, new object[] { Scalar.Create(z) })!).Value;

    private static float Derivative(Type ops, float a) =>
        ((Scalar)ops.GetMethod("Derivative")!.MakeGenericMethod(typeof(Scalar)).Invoke(null, new object[] { Scalar.Create(a) })!).Value;

    private static float OpsCall(Type ops, string method, float a, float t, LossParameters p) =>
        ((Scalar)ops.GetMethod(method)!.MakeGenericMethod(typeof(Scalar)).Invoke(null, new object[] { Scalar.Create(a), Scalar.Create(t), p })!).Value;

    private static float[] Values(Random random, int count, double low, double high) =>
        Enumerable.Range(0, count).Select(_ => (float)(low + (random.NextDouble() * (high - low)))).ToArray();

    /// <summary>A random CSR batch: ascending distinct columns below <paramref name="columnCount"/>, values or binary.</summary>
    private static (int[] Offsets, int[] Columns, float[]? Values) Csr(Random random, int rows, int columnCount)
    {
        var offsets = new int[rows + 1];
        var columns = new List<int>();
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columnCount; column++) if (random.Next(2) == 0) columns.Add(column);
            offsets[row + 1] = columns.Count;
        }
        var values = random.Next(2) == 0 ? null : Values(random, columns.Count, 0.2, 2);
        return (offsets, columns.ToArray(), values);
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[i])), $"{what}: element {i} is {actual[i]}, expected {expected[i]}");
        }
    }

    /// <summary>The generated kernels launched on ILGPU's CPU accelerator (a few simulated threads: the machine may have 2 cores).</summary>
    private sealed class KernelRunner : IDisposable
    {
        private readonly Context _context;
        private readonly Accelerator _accelerator;
        private readonly List<IDisposable> _buffers = new();

        public KernelRunner()
        {
            _context = Context.Create(b => b.CPU(new CPUDevice(4, 4, 1)).EnableAlgorithms());
            _accelerator = _context.CreateCPUAccelerator(0);
        }

        public float[] Epilogue(EpilogueKernel kernel, float[] z, int n, float[] bias, DropoutArgs mask)
        {
            var launch = _accelerator.LoadAutoGroupedStreamKernel(As<Action<Index1D, ArrayView<float>, int, ArrayView<float>, DropoutArgs>>(kernel));
            var zv = Buffer(z);
            launch(z.Length, zv.View, n, Buffer(bias).View, mask);
            return Read(zv);
        }

        public float[] SparseForward(SparseForwardKernel kernel, int[] offsets, int[] columns, float[]? values, float[] w, int ldw, float[] z, int n, int accumulate, int fuse, float[] bias, DropoutArgs mask)
        {
            var launch = _accelerator.LoadAutoGroupedStreamKernel(As<Action<Index1D, SparseArgs, ArrayView<float>, int, ArrayView<float>, int, int, int, ArrayView<float>, DropoutArgs>>(kernel));
            var zv = Buffer(z);
            launch(z.Length, Sparse(offsets, columns, values), Buffer(w).View, ldw, zv.View, n, accumulate, fuse, Buffer(bias).View, mask);
            return Read(zv);
        }

        public float[] Backward(BackwardKernel kernel, float[] delta, float[] output, int n, float[] penalty, int hasPenalty, DropoutArgs mask)
        {
            var launch = _accelerator.LoadAutoGroupedStreamKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<float>, int, DropoutArgs>>(kernel));
            var dv = Buffer(delta);
            launch(delta.Length, dv.View, Buffer(output).View, n, Buffer(penalty).View, hasPenalty, mask);
            return Read(dv);
        }

        public TargetArgs DenseTargets(float[] targets, int ld) => new(Buffer(targets).View, ld);

        public TargetArgs SparseTargets(int[] offsets, int[] columns, float[]? values) => new(Sparse(offsets, columns, values));

        public float[] Delta(DeltaKernel kernel, float[] output, int n, TargetArgs targets, LossParameters loss)
        {
            var launch = _accelerator.LoadAutoGroupedStreamKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, int, TargetArgs, LossParameters>>(kernel));
            var dv = Buffer(new float[output.Length]);
            launch(output.Length, Buffer(output).View, dv.View, n, targets, loss);
            return Read(dv);
        }

        public double Loss(LossKernel kernel, float[] output, int n, TargetArgs targets, LossParameters loss)
        {
            var launch = _accelerator.LoadStreamKernel(As<Action<ArrayView<float>, int, int, TargetArgs, LossParameters, ArrayView<double>>>(kernel));
            var total = Buffer(new double[1]);
            // Two groups of 16 threads: fewer threads than elements, so the grid-stride loop and the group reduction both run.
            launch(new KernelConfig(2, 16), Buffer(output).View, output.Length, n, targets, loss, total.View);
            _accelerator.Synchronize();
            return total.GetAsArray1D()[0];
        }

        public (float[] W, float[] S1, float[] S2) Dense(DenseUpdateKernel kernel, float[] w, float[] g, float[] s1, float[] s2, UpdateContext c)
        {
            var launch = _accelerator.LoadAutoGroupedStreamKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, UpdateContext>>(kernel));
            var (wv, s1v, s2v) = (Buffer(w), Buffer(s1), Buffer(s2));
            launch(w.Length, wv.View, Buffer(g).View, s1v.View, s2v.View, c);
            return (Read(wv), Read(s1v), Read(s2v));
        }

        public (float[] W, float[] S1, float[] S2) Sparse(SparseUpdateKernel kernel, float[] w, float[] s1, float[] s2, int n, int[] offsets, int[] columns, float[] values, int[] features, float[] delta, int ldd, UpdateContext c)
        {
            var launch = _accelerator.LoadAutoGroupedStreamKernel(As<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, SparseArgs, ArrayView<int>, ArrayView<float>, int, UpdateContext>>(kernel));
            var (wv, s1v, s2v) = (Buffer(w), Buffer(s1), Buffer(s2));
            launch(features.Length * n, wv.View, s1v.View, s2v.View, n, Sparse(offsets, columns, values), Buffer(features).View, Buffer(delta).View, ldd, c);
            return (Read(wv), Read(s1v), Read(s2v));
        }

        public void Dispose()
        {
            foreach (var buffer in _buffers) buffer.Dispose();
            _accelerator.Dispose();
            _context.Dispose();
        }

        private SparseArgs Sparse(int[] offsets, int[] columns, float[]? values) =>
            new(Buffer(offsets).View, Buffer(columns.Length == 0 ? new int[1] : columns).View, Buffer(values ?? new float[1]).View, values is not null);

        private MemoryBuffer1D<T, Stride1D.Dense> Buffer<T>(T[] data) where T : unmanaged
        {
            var buffer = _accelerator.Allocate1D(data.Length == 0 ? new T[1] : data);
            _buffers.Add(buffer);
            return buffer;
        }

        private float[] Read(MemoryBuffer1D<float, Stride1D.Dense> buffer)
        {
            _accelerator.Synchronize();
            return buffer.GetAsArray1D();
        }

        private static TAction As<TAction>(Delegate kernel) where TAction : Delegate => (TAction)Delegate.CreateDelegate(typeof(TAction), kernel.Method);
    }
}
