using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>
/// C# compilations the way a consumer project builds: net10.0 framework references, the Runtime, nullable on,
/// every warning at the highest level reported as an error.
/// </summary>
internal static class TestCompilation
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyGpuReferences = new(() => LazyReferences.Value.AddRange(new[]
    {
        MetadataReference.CreateFromFile(typeof(DestinyDsl.Runtime.Gpu.Kernels.GpuKernelSet).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ILGPU.Index1D).Assembly.Location),
    }));

    /// <summary>The framework and the Runtime: a CPU-only consumer.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    /// <summary><see cref="References"/> plus DestinyDsl.Runtime.Gpu and ILGPU: a consumer of the GPU backend (the generator then emits the GPU kernels).</summary>
    public static ImmutableArray<MetadataReference> GpuReferences => LazyGpuReferences.Value;

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>The global usings of <c>ImplicitUsings=enable</c> in a console project.</summary>
    public const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    public static CSharpCompilation Create(IEnumerable<string> sources, string assemblyName = "Consumer", bool warningsAsErrors = true, bool gpu = false) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            gpu ? GpuReferences : References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: warningsAsErrors ? ReportDiagnostic.Error : ReportDiagnostic.Default,
                warningLevel: 9999,
                allowUnsafe: false));

    /// <summary>All diagnostics except hidden ones, as text (for assertion messages).</summary>
    public static IReadOnlyList<string> Problems(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).Select(d => d.ToString()).ToList();

    /// <summary>Fails with every diagnostic, in full, unless the compilation has none (hidden ones aside).</summary>
    public static void AssertClean(Compilation compilation)
    {
        var problems = Problems(compilation);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// Emits and loads the compilation into its own context, collectible unless asked otherwise (ILGPU's CPU accelerator
    /// and its PTX backend need a non-collectible one); the Runtime resolves from the test's own context.
    /// </summary>
    public static Assembly Load(Compilation compilation, bool collectible = true)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext(compilation.AssemblyName, isCollectible: collectible).LoadFromStream(stream);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Where(p => !Path.GetFileName(p).StartsWith("System.Private.", StringComparison.Ordinal) || Path.GetFileName(p) == "System.Private.CoreLib.dll");
        return framework
            .Append(typeof(DestinyDsl.Runtime.Model).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
