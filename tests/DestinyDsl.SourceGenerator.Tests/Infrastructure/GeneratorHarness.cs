using System.Collections.Immutable;
using DestinyDsl.Language;
using DestinyDsl.Language.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>Runs <see cref="DnetGenerator"/> in-process the way the compiler does, with step tracking on.</summary>
internal static class GeneratorHarness
{
    /// <summary>The test inputs (Inputs/*.dnet next to the test binaries), each given a stable virtual path.</summary>
    public static (string Path, string Text) Input(string name) =>
        ("/src/" + name + ".dnet", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Inputs", name + ".dnet")));

    /// <summary>The networks of an input as the front end binds them.</summary>
    public static NetworkModel[] Models(string name, string? rootNamespace = null)
    {
        var (path, text) = Input(name);
        var result = DnetCompiler.Compile(text, path, rootNamespace);
        Assert.False(result.HasErrors, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Networks.ToArray();
    }

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> files, TestOptionsProvider? options = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new DnetGenerator().AsSourceGenerator() },
            additionalTexts: files.ToImmutableArray(),
            parseOptions: TestCompilation.ParseOptions,
            optionsProvider: options ?? new TestOptionsProvider(),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// Runs the generator once over <paramref name="files"/>; returns the result and the updated compilation.
    /// <paramref name="gpu"/> references DestinyDsl.Runtime.Gpu (and ILGPU), which turns the GPU kernels on;
    /// <paramref name="gpuProperty"/> is the <c>DestinyDslGpuKernels</c> build property, when set.
    /// </summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(IEnumerable<(string Path, string Text)> files, string? rootNamespace = null,
        IReadOnlyDictionary<string, string>? namespaceMetadata = null, string userCode = "", bool gpu = false, string? gpuProperty = null)
    {
        var driver = CreateDriver(files.Select(f => new InMemoryAdditionalText(f.Path, f.Text)), new TestOptionsProvider(rootNamespace, namespaceMetadata, gpuProperty));
        var compilation = TestCompilation.Create(new[] { userCode }, gpu: gpu);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult().Results.Single(), output);
    }

    public static IReadOnlyList<(string HintName, string Text)> Sources(GeneratorRunResult result) =>
        result.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).ToList();
}
