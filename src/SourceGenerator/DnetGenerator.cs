using DestinyDsl.Roslyn;
using DestinyDsl.SourceGenerator.Emit;
using DestinyDsl.SourceGenerator.Pipeline;
using Microsoft.CodeAnalysis;

namespace DestinyDsl.SourceGenerator;

/// <summary>
/// Turns every <c>.dnet</c> AdditionalFile into one C# model class per network (with its options and fused-kernel
/// ops structs), plus, when the project references DestinyDsl.Runtime.Gpu or sets <c>DestinyDslGpuKernels</c>, a second
/// part of the class with the network's GPU (ILGPU) kernels. Reports nothing but DNET0999 for its own failures: the <c>.dnet</c> diagnostics come from
/// DestinyDsl.Analyzers, and files with errors simply produce no code, so no diagnostic is ever reported twice.
/// </summary>
/// <remarks>Every value between steps is a value-equatable record (no symbols, syntax, locations or
/// AdditionalText), so C# edits never re-run .dnet work and .dnet edits re-run only the file edited.</remarks>
[Generator(LanguageNames.CSharp)]
public sealed class DnetGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // The project's RootNamespace: only this string flows on, so other option changes stop here.
        var rootNamespace = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(DnetBuildOptions.RootNamespaceKey, out var ns) && !string.IsNullOrWhiteSpace(ns) ? ns.Trim() : null)
            .WithTrackingName(DnetGeneratorStepNames.RootNamespace);

        // Read each .dnet file with its per-file namespace metadata into a plain record.
        var files = context.AdditionalTextsProvider
            .Where(static file => DnetBuildOptions.IsDnetFile(file.Path))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => DnetSourceFile.Read(pair.Left, pair.Right.GetOptions(pair.Left), ct))
            .WithTrackingName(DnetGeneratorStepNames.Files);

        // Hint-name prefixes depend on every path (same-named files in different folders), not on contents.
        var hintPrefixes = files
            .Select(static (file, _) => file.Path)
            .Collect()
            .Select(static (paths, _) => HintNames.Assign(paths))
            .WithTrackingName(DnetGeneratorStepNames.HintNames);

        // Lex, parse and bind; files with errors keep no networks.
        var compiled = files
            .Combine(rootNamespace)
            .Select(static (pair, ct) => FrontEnd.Compile(pair.Left, pair.Right, ct))
            .WithTrackingName(DnetGeneratorStepNames.Compile);

        // Lower to kernel plans and emit C#; equal text means downstream stays cached.
        var emitted = compiled
            .Combine(hintPrefixes)
            .Select(static (pair, ct) => DnetFileEmitter.Emit(pair.Left, pair.Right, ct))
            .WithTrackingName(DnetGeneratorStepNames.Emit);

        // GPU kernels: wanted when the compilation references DestinyDsl.Runtime.Gpu or the build asks for them. Only
        // bools flow on, so a C# edit re-reads the references, finds the same answer, and everything after stays cached.
        var gpuReference = context.CompilationProvider
            .Select(static (compilation, _) => compilation.ReferencedAssemblyNames.Any(static a => string.Equals(a.Name, DnetBuildOptions.GpuRuntimeAssembly, StringComparison.OrdinalIgnoreCase)))
            .WithTrackingName(DnetGeneratorStepNames.GpuReference);
        var gpuProperty = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => DnetBuildOptions.GpuKernelsRequested(options.GlobalOptions))
            .WithTrackingName(DnetGeneratorStepNames.GpuProperty);
        var gpuKernels = gpuReference
            .Combine(gpuProperty)
            .Select(static (pair, _) => pair.Left || pair.Right)
            .WithTrackingName(DnetGeneratorStepNames.GpuKernels);
        var gpuEmitted = compiled
            .Combine(hintPrefixes)
            .Combine(gpuKernels)
            .Select(static (pair, ct) => pair.Right ? DnetFileEmitter.EmitGpu(pair.Left.Left, pair.Left.Right, ct) : EmittedDnetFile.None)
            .WithTrackingName(DnetGeneratorStepNames.GpuEmit);

        // Split: the code, and the generator's own failures.
        var sources = emitted.Select(static (file, _) => file.Sources).WithTrackingName(DnetGeneratorStepNames.Sources);
        var failures = emitted.Select(static (file, _) => file.Failures).WithTrackingName(DnetGeneratorStepNames.Failures);

        context.RegisterSourceOutput(sources, static (spc, generated) =>
        {
            foreach (var source in generated) spc.AddSource(source.HintName, source.Text);
        });
        context.RegisterSourceOutput(failures, static (spc, found) =>
        {
            foreach (var failure in found)
                spc.ReportDiagnostic(Diagnostic.Create(DnetRoslynDiagnostics.InternalError, failure.Location.ToLocation(), DnetRoslynDiagnostics.GeneratorFailure(failure.Message)));
        });
        context.RegisterSourceOutput(gpuEmitted, static (spc, file) =>
        {
            foreach (var source in file.Sources) spc.AddSource(source.HintName, source.Text);
            foreach (var failure in file.Failures)
                spc.ReportDiagnostic(Diagnostic.Create(DnetRoslynDiagnostics.InternalError, failure.Location.ToLocation(), DnetRoslynDiagnostics.GeneratorFailure(failure.Message)));
        });
    }
}
