using System.Reflection;
using DestinyDsl.Language.Model;
using DestinyDsl.SourceGenerator.Tests.Infrastructure;
using static DestinyDsl.SourceGenerator.Tests.Infrastructure.ModelBuilder;

namespace DestinyDsl.SourceGenerator.Tests;

/// <summary>
/// The generated code compiles warning-free (every warning an error, nullable on, implicit usings on or off, next to
/// user code that reuses the runtime's type names) and the typed API works as a consumer would call it.
/// </summary>
public class GeneratedCodeCompilesTests
{
    /// <summary>User types in the generated namespaces whose names an unqualified reference would bind to.</summary>
    private const string ClashingUserCode = """
        namespace Samples.MovieLens { public class Model { } public class LayerSpec { } public class SearchSpace { } public class DestinyDsl { } public class Math { } public class ArgumentException { } public class ISimd<T> { } public class TV { } }
        namespace Coverage { public class Model { } public class NetworkData { } public class SparseMatrix { } public class System { } }
        namespace LanguageExamples { public class KernelSet { } public class Array { } public class IProgress<T> { } }
        """;

    public static TheoryData<string> Cases() => new() { "MovieLens", "DeepAutoencoder", "Coverage" };

    internal static NetworkModel[] Models(string name) =>
        GeneratorHarness.Models(name, rootNamespace: name == "DeepAutoencoder" ? "LanguageExamples" : null);

    [Theory]
    [MemberData(nameof(Cases))]
    public void CompilesWithoutDiagnostics_ImplicitUsingsOff(string name)
    {
        var sources = TestEmitter.Emit(Models(name)).Select(s => s.Text).Append(ClashingUserCode);
        TestCompilation.AssertClean(TestCompilation.Create(sources));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CompilesWithoutDiagnostics_ImplicitUsingsOn(string name)
    {
        var sources = TestEmitter.Emit(Models(name)).Select(s => s.Text).Append(TestCompilation.ImplicitUsings).Append(ClashingUserCode);
        TestCompilation.AssertClean(TestCompilation.Create(sources));
    }

    [Fact]
    public void NamesThatCollideWithMembersKeywordsOrEachOtherStillCompile()
    {
        // Layer names that PascalCase onto base-class members (spec, options), onto each other (a_b, aB), onto the
        // ops struct of another layer (h_ops), and that are C# keywords or typed-overload parameter names (class, k).
        var model = new ModelBuilder("event", "My.@class.Nets".Replace("@", ""), line: 0)
            .Input("class", sparse: true)
            .Input("k", sparse: false, width: 4)
            .Hidden("spec", Tunable.Fixed(8), new ActivationModel(ActivationKind.Relu), sources: new[] { "class", "k" })
            .Hidden("options", Tuned(8, 4, 16, integer: true), new ActivationModel(ActivationKind.Relu), dropout: Tunable.Fixed(0.1))
            .Hidden("a_b", 8)
            .Hidden("aB", 8)
            .Hidden("h", 8)
            .Hidden("h_ops", 8)
            .Output("scores", sparse: true, new ActivationModel(ActivationKind.Sigmoid), target: "class")
            .Search("options.width", 8, new ContinuousRange(4, 16, false, true))
            .Build("/src/Collisions.dnet");
        var sources = TestEmitter.Emit(model).Select(s => s.Text).ToList();
        TestCompilation.AssertClean(TestCompilation.Create(sources.Append(TestCompilation.ImplicitUsings)));
        Assert.Contains("public sealed partial class @event", sources[0]);
        Assert.Contains("namespace My.@class.Nets", sources[0]);
        Assert.Contains("int classWidth", sources[0]);
        Assert.Contains("SparseMatrix @class, global::DestinyDsl.Runtime.Data.DenseMatrix kData", sources[0]);
        Assert.Contains("SpecLayer => Spec.Layers[2]", sources[0]);
    }

    [Fact]
    public void TuneAsyncTakesOneMatrixPerInputAndExistsOnlyWithSomethingToTune()
    {
        // An input named like TuneAsync's own parameter (settings) is renamed; the auto width comes from its matrix.
        var model = new ModelBuilder("Tuned", "Nets", line: 0)
            .Input("items", sparse: true)
            .Input("settings", sparse: false, width: 3)
            .Hidden("h", Tuned(8, 4, 16, integer: true), new ActivationModel(ActivationKind.Relu), sources: new[] { "items", "settings" })
            .Output("scores", sparse: true, new ActivationModel(ActivationKind.Sigmoid), target: "items")
            .Search("h.width", 8, new ContinuousRange(4, 16, false, true))
            .Build("/src/Tuned.dnet");
        var source = TestEmitter.Emit(model).Single().Text;
        TestCompilation.AssertClean(TestCompilation.Create(new[] { source, TestCompilation.ImplicitUsings }));
        Assert.Contains("TuneAsync(global::DestinyDsl.Runtime.Data.SparseMatrix items, global::DestinyDsl.Runtime.Data.DenseMatrix settingsData, global::DestinyDsl.Runtime.Tuning.Models.ModelTuningSettings? settings = null, global::System.Threading.CancellationToken cancellationToken = default)", source);
        Assert.Contains("ModelTuner.TuneAsync(Bind(items, settingsData), SearchSpace, (TunedOptions options, global::DestinyDsl.Runtime.Distributed.DeviceGroup devices) => new Tuned(items.Columns, options, devices), settings, cancellationToken);", source);

        // Nothing to tune, no method: calling it is a compile error, not a run-time one.
        Assert.All(TestEmitter.Emit(Models("DsstneBenchmark")), s => Assert.DoesNotContain("TuneAsync", s.Text));
    }

    [Fact]
    public void GlobalNamespaceWhenNeitherFileNorProjectNamesOne()
    {
        var source = TestEmitter.Emit(GeneratorHarness.Models("DeepAutoencoder", rootNamespace: null)).Single().Text;
        Assert.DoesNotContain("namespace ", source);
        TestCompilation.AssertClean(TestCompilation.Create(new[] { source }));
    }

    [Fact]
    public void MovieLensModelIsConstructedWithFileDefaults()
    {
        const string Consumer = """
            using System.Globalization;
            using System.Linq;
            using Samples.MovieLens;
            public static class Probe
            {
                public static string Run()
                {
                    using var model = new MovieLensAutoencoder(itemsWidth: 1000);
                    var o = model.Options;
                    var s = model.Spec;
                    return string.Join(";", new object[] {
                        o.LearningRate, o.Momentum, o.Batch, o.Epochs, o.Denoising, o.SparsenessP, o.SparsenessBeta, o.OneTarget, o.ZeroTarget, o.Seed, o.Shuffle,
                        s.Name, s.Layers.Count, model.Items.Width, model.H1.Width, model.Scores.Width, model.Scores.Target!, s.Loss.Kind, s.Optimizer.Kind, s.Optimizer.Momentum,
                        s.Training.Denoising, MovieLensAutoencoder.SearchSpace.Dimensions.Count, o.Get("optimizer.learning_rate"),
                    }.Select(v => System.Convert.ToString(v, CultureInfo.InvariantCulture)));
                }
            }
            """;
        var result = RunProbe(Models("MovieLens"), Consumer);
        Assert.Equal("0.025;0.9;256;10;0.2;0.5;2;1;0;12134;True;MovieLensAutoencoder;3;1000;128;1000;items;ScaledMarginalCrossEntropy;Sgd;0.9;0.2;4;0.02500000037252903", result);
    }

    [Fact]
    public void DeepAutoencoderSearchSpaceAndOptionsAgree()
    {
        const string Consumer = """
            using System.Globalization;
            using System.Linq;
            using LanguageExamples;
            public static class Probe
            {
                public static string Run()
                {
                    var parts = new System.Collections.Generic.List<string>();
                    foreach (var d in DeepAutoencoder.SearchSpace.Dimensions)
                        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{d.Path}={d.Default}[{d.Low},{d.High},{d.Log},{d.Integer}]"));
                    var options = new DeepAutoencoderOptions();
                    options.Set("h2.width", 2048);
                    options.Set("optimizer.learning_rate", 0.001);
                    using var model = new DeepAutoencoder(itemsWidth: 500, options: options);
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"{model.H2.Width};{model.Options.H2Width};{model.Spec.Optimizer.LearningRate};{model.H1.Dropout};{model.Options.H1Dropout};{string.Join(",", model.H3.Sources)}"));
                    try { options.Set("h9.width", 1); } catch (System.ArgumentException e) { parts.Add(e.Message.Substring(0, e.Message.IndexOf(';'))); }
                    try { options.Set("train.batch", 2.5); } catch (System.ArgumentOutOfRangeException) { parts.Add("batch must be whole"); }
                    return string.Join("|", parts);
                }
            }
            """;
        var result = RunProbe(Models("DeepAutoencoder"), Consumer);
        Assert.Equal("h2.width=1024[256,4096,True,True]|optimizer.learning_rate=0.01[0.0001,0.1,True,False]|2048;2048;0.001;0.1;0.1;h2,h1|Network 'DeepAutoencoder' has no setting 'h9.width'|batch must be whole", result);
    }

    [Fact]
    public void EveryOptionRoundTripsThroughSetAndGetAndEverySearchPathIsAnOption()
    {
        const string Consumer = """
            using System.Linq;
            public static class Probe
            {
                public static string Run()
                {
                    var failures = new System.Collections.Generic.List<string>();
                    foreach (var type in typeof(Probe).Assembly.GetTypes().Where(t => t.BaseType == typeof(global::DestinyDsl.Runtime.Tuning.ModelOptions)))
                    {
                        var options = (global::DestinyDsl.Runtime.Tuning.ModelOptions)System.Activator.CreateInstance(type)!;
                        var paths = (System.Collections.Generic.IReadOnlyList<string>)type.GetProperty("Paths")!.GetValue(null)!;
                        foreach (var path in paths)
                        {
                            var value = path == "train.shuffle" ? 0 : 3;
                            options.Set(path, value);
                            if (options.Get(path) != value) failures.Add(type.Name + " " + path);
                        }
                        var model = type.Assembly.GetType(type.FullName!.Substring(0, type.FullName.Length - "Options".Length))!;
                        var space = (global::DestinyDsl.Runtime.Tuning.SearchSpace)model.GetProperty("SearchSpace")!.GetValue(null)!;
                        foreach (var d in space.Dimensions) if (!paths.Contains(d.Path)) failures.Add(type.Name + " searches " + d.Path);
                    }
                    return failures.Count == 0 ? "ok" : string.Join(", ", failures);
                }
            }
            """;
        var models = Models("Coverage").Concat(Models("MovieLens")).Concat(Models("DeepAutoencoder")).ToArray();
        Assert.Equal("ok", RunProbe(models, Consumer));
    }

    [Fact]
    public void TwoInputsGiveTypedOverloadsWithOneMatrixEach()
    {
        const string Consumer = """
            using Coverage;
            public static class Probe
            {
                public static string Run()
                {
                    var users = new global::DestinyDsl.Runtime.Data.SparseMatrix(2, 5, new long[] { 0, 1, 2 }, new[] { 1, 3 });
                    var context = new global::DestinyDsl.Runtime.Data.DenseMatrix(2, 8);
                    var data = TwoTowers.Bind(users, context);
                    using var model = new TwoTowers(usersWidth: 5);
                    return string.Join(",", data.Layers) + ";" + data.Rows + ";" + model.UserScores.Width + ";" + model.ContextEcho.Width + ";" + model.Joint.Sources.Count;
                }
            }
            """;
        Assert.Equal("users,context;2;5;8;2", RunProbe(Models("Coverage").Where(n => n.Name == "TwoTowers").ToArray(), Consumer));
    }

    [Fact]
    public void GeneratedModelTrainsWithTheRuntime()
    {
        // The generated spec and kernels drive the real engine: loss on a small synthetic set goes down.
        const string Consumer = """
            using System.Globalization;
            using Samples.MovieLens;
            public static class Probe
            {
                public static string Run()
                {
                    const int users = 48, items = 40;
                    var offsets = new long[users + 1];
                    var columns = new System.Collections.Generic.List<int>();
                    for (var u = 0; u < users; u++)
                    {
                        for (var i = 0; i < items; i++) if ((i % 4) == (u % 4) && (i * 7 + u) % 3 != 0) columns.Add(i);
                        offsets[u + 1] = columns.Count;
                    }
                    var data = new global::DestinyDsl.Runtime.Data.SparseMatrix(users, items, offsets, columns.ToArray());
                    var options = new MovieLensAutoencoderOptions { Batch = 16, Epochs = 30, Denoising = 0f, LearningRate = 0.5f };
                    using var model = new MovieLensAutoencoder(itemsWidth: items, options: options);
                    var before = model.Loss(data);
                    model.Train(data);
                    var after = model.Loss(data);
                    return string.Create(CultureInfo.InvariantCulture, $"{before:F4} {after:F4} {(after < 0.7 * before ? "learned" : "did not learn")}");
                }
            }
            """;
        var result = RunProbe(Models("MovieLens"), Consumer);
        Assert.EndsWith("learned", result);
        Assert.DoesNotContain("did not", result);
    }

    private static string RunProbe(NetworkModel[] models, string consumer)
    {
        var compilation = TestCompilation.Create(TestEmitter.Emit(models).Select(s => s.Text).Append(consumer), "Probe" + Guid.NewGuid().ToString("N"));
        TestCompilation.AssertClean(compilation);
        var assembly = TestCompilation.Load(compilation);
        return (string)assembly.GetType("Probe")!.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
    }
}
