using Microsoft.CodeAnalysis.Diagnostics;

namespace DestinyDsl.Roslyn;

/// <summary>
/// What the generator and the analyzer read from the build: which AdditionalFiles are .dnet files, and the MSBuild
/// property and item metadata that build/DestinyDsl.props makes visible to the compiler.
/// </summary>
/// <remarks>Compiled into both assemblies (linked source) so they agree without depending on each other.</remarks>
internal static class DnetBuildOptions
{
    /// <summary>The project's root namespace (<c>CompilerVisibleProperty RootNamespace</c>).</summary>
    public const string RootNamespaceKey = "build_property.RootNamespace";

    /// <summary>Emit the GPU kernels even without a reference to DestinyDsl.Runtime.Gpu (<c>CompilerVisibleProperty DestinyDslGpuKernels</c>).</summary>
    public const string GpuKernelsKey = "build_property.DestinyDslGpuKernels";

    /// <summary>Where docs/diagnostics.md lives, for the diagnostics' help links (<c>CompilerVisibleProperty DestinyDslDiagnosticsHelpUrl</c>).</summary>
    public const string DiagnosticsHelpUrlKey = "build_property.DestinyDslDiagnosticsHelpUrl";

    /// <summary>The configured address of docs/diagnostics.md, or null (unset or <c>none</c>: diagnostics carry no help link).</summary>
    public static string? DiagnosticsHelpUrl(AnalyzerConfigOptions globalOptions) =>
        globalOptions.TryGetValue(DiagnosticsHelpUrlKey, out var value) && !string.IsNullOrWhiteSpace(value)
            && !string.Equals(value.Trim(), "none", StringComparison.OrdinalIgnoreCase) ? value.Trim() : null;

    /// <summary>The assembly whose reference turns the GPU kernels on.</summary>
    public const string GpuRuntimeAssembly = "DestinyDsl.Runtime.Gpu";

    /// <summary>Per-file namespace (<c>&lt;AdditionalFiles Update="x.dnet" DnetNamespace="…" /&gt;</c>).</summary>
    public const string NamespaceMetadataKey = "build_metadata.AdditionalFiles.DnetNamespace";

    /// <summary>True when the build sets <c>DestinyDslGpuKernels</c> to <c>true</c> (any case, surrounding spaces ignored).</summary>
    public static bool GpuKernelsRequested(AnalyzerConfigOptions globalOptions) =>
        globalOptions.TryGetValue(GpuKernelsKey, out var value) && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for paths ending in <c>.dnet</c> (any case).</summary>
    public static bool IsDnetFile(string path) => path.EndsWith(".dnet", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The namespace a file's networks get when the file has no <c>namespace</c> declaration: its
    /// <c>DnetNamespace</c> metadata, else the project's RootNamespace, else none (the global namespace).
    /// </summary>
    public static string? DefaultNamespace(AnalyzerConfigOptions globalOptions, AnalyzerConfigOptions fileOptions)
    {
        if (fileOptions.TryGetValue(NamespaceMetadataKey, out var perFile) && !string.IsNullOrWhiteSpace(perFile)) return perFile.Trim();
        if (globalOptions.TryGetValue(RootNamespaceKey, out var root) && !string.IsNullOrWhiteSpace(root)) return root.Trim();
        return null;
    }
}
