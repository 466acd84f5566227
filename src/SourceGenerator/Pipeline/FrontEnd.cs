using DestinyDsl.Language;
using DestinyDsl.Language.Model;
using DestinyDsl.Roslyn;

namespace DestinyDsl.SourceGenerator.Pipeline;

/// <summary>Runs the Language front end on one file for the generator. Never throws (except on cancellation).</summary>
internal static class FrontEnd
{
    public static CompiledDnetFile Compile(DnetSourceFile file, string? rootNamespace, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (file.Text is null)
        {
            return new CompiledDnetFile(file.Path, HasErrors: true, EquatableArray<NetworkModel>.Empty,
                new GeneratorFailure(LocationInfo.StartOf(file.Path), $"could not read '{file.Path}'"));
        }

        try
        {
            var result = DnetCompiler.Compile(file.Text, file.Path, file.NamespaceMetadata ?? rootNamespace);
            // Files with errors produce no code (the analyzer reports the errors).
            var networks = result.HasErrors ? EquatableArray<NetworkModel>.Empty : result.Networks;
            return new CompiledDnetFile(file.Path, result.HasErrors, networks, Failure: null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new CompiledDnetFile(file.Path, HasErrors: true, EquatableArray<NetworkModel>.Empty,
                new GeneratorFailure(LocationInfo.StartOf(file.Path), "compiling the file failed: " + DnetRoslynDiagnostics.Describe(e)));
        }
    }
}
