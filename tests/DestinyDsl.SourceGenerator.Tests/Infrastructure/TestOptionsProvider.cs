using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DestinyDsl.SourceGenerator.Tests.Infrastructure;

/// <summary>The compiler's view of MSBuild: global <c>build_property.*</c> values and per-file <c>build_metadata.*</c>.</summary>
internal sealed class TestOptionsProvider : AnalyzerConfigOptionsProvider
{
    private readonly ImmutableDictionary<string, ImmutableDictionary<string, string>> _perFile;

    public TestOptionsProvider(string? rootNamespace = null, IReadOnlyDictionary<string, string>? namespaceMetadata = null, string? gpuKernels = null, string? diagnosticsHelpUrl = null)
    {
        var global = ImmutableDictionary.CreateBuilder<string, string>();
        if (rootNamespace is not null) global["build_property.RootNamespace"] = rootNamespace;
        if (gpuKernels is not null) global["build_property.DestinyDslGpuKernels"] = gpuKernels;
        if (diagnosticsHelpUrl is not null) global["build_property.DestinyDslDiagnosticsHelpUrl"] = diagnosticsHelpUrl;
        GlobalOptions = new Options(global.ToImmutable());
        _perFile = (namespaceMetadata ?? new Dictionary<string, string>())
            .ToImmutableDictionary(p => p.Key, p => ImmutableDictionary<string, string>.Empty.Add("build_metadata.AdditionalFiles.DnetNamespace", p.Value));
    }

    public override AnalyzerConfigOptions GlobalOptions { get; }

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        _perFile.TryGetValue(textFile.Path, out var values) ? new Options(values) : Options.Empty;

    private sealed class Options : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(ImmutableDictionary<string, string>.Empty);
        private readonly ImmutableDictionary<string, string> _values;

        public Options(ImmutableDictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
    }
}
